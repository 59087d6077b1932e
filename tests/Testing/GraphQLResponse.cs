using System.Net;
using System.Text.Json.Nodes;

namespace TiBillet.Testing;

/// <summary>An HTTP status and the parsed GraphQL body, with helpers for exact assertions.</summary>
public sealed record GraphQLResponse(HttpStatusCode Status, JsonObject Body)
{
    /// <summary>The <c>data</c> object; throws with the errors when there is none.</summary>
    public JsonObject Data() =>
        Body["data"] as JsonObject ?? throw new InvalidOperationException($"No data in response: {Body.ToJsonString()}");

    /// <summary>The <c>extensions.code</c> of each error, in order.</summary>
    public IReadOnlyList<string> ErrorCodes() =>
        (Body["errors"] as JsonArray)?.Select(e => e!["extensions"]?["code"]?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>The single error code; fails unless there is exactly one error.</summary>
    public string ErrorCode() => ErrorCodes() is [var only] ? only : throw new InvalidOperationException($"Expected one error: {Body.ToJsonString()}");
}
