using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TiBillet.Bench.Taps;

/// <summary>The benchmark's own plain GraphQL-over-HTTP client (setup and the screen's payment requests).</summary>
public sealed class BenchGraphQLClient(Uri graphQLUri) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Authorization header used by <see cref="PostAsync"/> ("Bearer …").</summary>
    public string? Authorization { get; set; }

    /// <summary>Runs one operation and returns its <c>data</c>; throws with the errors when there are any.</summary>
    public async Task<JsonObject> PostAsync(string query, object? variables = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, graphQLUri)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (Authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        if (body["errors"] is JsonArray { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"GraphQL error: {errors.ToJsonString()}");
        }

        return body["data"]!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}
