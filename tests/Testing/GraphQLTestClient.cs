using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace TiBillet.Testing;

/// <summary>A plain HTTP GraphQL client, as any integrator would write one.</summary>
public sealed class GraphQLTestClient(Func<Uri> graphQLUri) : IDisposable
{
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>POSTs a GraphQL request; <paramref name="authorization"/> is a full header value such as "Bearer …".</summary>
    public async Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? authorization = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, graphQLUri()) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Sends a raw request and parses the GraphQL answer.</summary>
    public async Task<GraphQLResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken == default ? TestContext.Current.CancellationToken : cancellationToken;
        using var response = await Http.SendAsync(request, token);
        var text = await response.Content.ReadAsStringAsync(token);
        return new GraphQLResponse(response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Signs in and returns "Bearer …".</summary>
    public async Task<string> BearerAsync(string email, string secret)
    {
        var result = await PostAsync("mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }", new { e = email, s = secret });
        return "Bearer " + result.Data()["login"]!["token"]!.GetValue<string>();
    }

    public void Dispose() => Http.Dispose();
}
