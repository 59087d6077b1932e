using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace TiBillet.ReaderAgent.Taps;

/// <summary>Sends taps as the server's <c>tap</c> GraphQL mutation over HTTP POST, authenticated by the device key.</summary>
public sealed class GraphQlTapClient(IHttpClientFactory httpClientFactory, IOptions<ReaderAgentOptions> options) : ITapClient
{
    /// <summary>The named HttpClient, whose timeout is <see cref="ReaderAgentOptions.RequestTimeout"/>.</summary>
    public const string HttpClientName = "TiBillet.GraphQL";

    /// <summary>The mutation, exactly as the server's schema declares it.</summary>
    public const string TapMutation =
        "mutation Tap($input: TapInput!) { tap(input: $input) { tapId outcome message amount balances { asset amount } } }";

    // The server's code for "try again with the same key" (Orleans timeouts, silo unavailable).
    private const string UnavailableCode = "UNAVAILABLE";

    public async Task<TapResult> SendTapAsync(CardTap tap, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var body = new JsonObject
        {
            ["operationName"] = "Tap",
            ["query"] = TapMutation,
            ["variables"] = new JsonObject
            {
                ["input"] = new JsonObject { ["readerName"] = tap.ReaderName, ["uid"] = tap.Uid, ["tapId"] = tap.TapId },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ServerUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Device", settings.DeviceKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var client = httpClientFactory.CreateClient(HttpClientName);
        string text;
        HttpStatusCode status;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            if ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                throw new TapUnavailableException($"HTTP {(int)status}");
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TapUnavailableException($"server unreachable: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout: the server may still be working on it; the retry's same tap id makes that safe.
            throw new TapUnavailableException("request timed out", ex);
        }

        return ParseResponse(text, status);
    }

    private static TapResult ParseResponse(string text, HttpStatusCode status)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new TapRejectedException(HttpCode(status) ?? TapErrorCodes.BadResponse, "The server's answer is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0)
            {
                var error = errors[0];
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "GraphQL error";
                var code = error.TryGetProperty("extensions", out var extensions)
                    && extensions.ValueKind == JsonValueKind.Object
                    && extensions.TryGetProperty("code", out var c)
                    && c.ValueKind == JsonValueKind.String
                        ? c.GetString()!
                        : HttpCode(status) ?? TapErrorCodes.BadResponse;
                if (code == UnavailableCode)
                {
                    throw new TapUnavailableException($"server unavailable: {message}");
                }

                throw new TapRejectedException(code, message);
            }

            if (HttpCode(status) is { } httpCode)
            {
                throw new TapRejectedException(httpCode, $"HTTP {(int)status} without a GraphQL error.");
            }

            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("tap", out var tap)
                || tap.ValueKind != JsonValueKind.Object)
            {
                throw new TapRejectedException(TapErrorCodes.BadResponse, "The server's answer has no tap result.");
            }

            return ReadResult(tap);
        }
    }

    private static TapResult ReadResult(JsonElement tap)
    {
        try
        {
            var balances = new List<TapBalance>();
            if (tap.TryGetProperty("balances", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var balance in list.EnumerateArray())
                {
                    balances.Add(new TapBalance(RequiredString(balance, "asset"), balance.GetProperty("amount").GetInt64()));
                }
            }

            return new TapResult(
                RequiredString(tap, "tapId"),
                RequiredString(tap, "outcome"),
                tap.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null,
                tap.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Number ? amount.GetInt64() : null,
                balances);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new TapRejectedException(TapErrorCodes.BadResponse, "The server's tap result is malformed.");
        }
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new InvalidOperationException($"{name} is null.");

    private static string? HttpCode(HttpStatusCode status) => (int)status is >= 200 and < 300 ? null : $"HTTP_{(int)status}";
}
