using System.Net;
using System.Text;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Transport;

[Collection(SiloCollection.Name)]
public sealed class EndpointTests(TestFieldsSiloFixture silo)
{
    private HttpRequestMessage Raw(HttpMethod method, string body, string contentType = "application/json") =>
        new(method, silo.GraphQLUri) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    [Fact]
    public async Task Introspection_answers_anonymously()
    {
        var response = await silo.PostAsync("{ __schema { queryType { name } } }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Query", response.Data()["__schema"]!["queryType"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_with_a_code()
    {
        var response = await silo.SendAsync(Raw(HttpMethod.Post, "{\"query\": nope"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task A_body_without_a_query_is_a_bad_request()
    {
        var response = await silo.SendAsync(Raw(HttpMethod.Post, "[1, 2, 3]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Malformed_graphql_is_a_syntax_error()
    {
        var response = await silo.PostAsync("{ instance { name ");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("SYNTAX_ERROR", response.ErrorCode());
    }

    [Fact]
    public async Task An_unknown_field_is_refused_before_execution()
    {
        var response = await silo.PostAsync("{ instance { name } noSuchField }");

        Assert.Equal("FIELDS_ON_CORRECT_TYPE", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task A_100_level_deep_query_is_refused_with_a_code()
    {
        var query = "{ " + string.Concat(Enumerable.Repeat("__schema { queryType { ", 50)) + "name" + string.Concat(Enumerable.Repeat(" } }", 50)) + " }";

        var response = await silo.PostAsync(query);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("COMPLEXITY", response.ErrorCode());
    }

    [Fact]
    public async Task A_query_deeper_than_the_limit_is_refused_by_the_analyzer()
    {
        // 24 levels: within the parser's limit, beyond MaxDepth (15) and the introspection budget's depth (20).
        var query = "{ __schema { types { " + string.Concat(Enumerable.Repeat("fields { type { ", 11)) + "name" + string.Concat(Enumerable.Repeat(" } }", 11)) + " } } }";

        var response = await silo.PostAsync(query);

        Assert.Equal("COMPLEXITY", response.ErrorCode());
    }

    [Fact]
    public async Task A_10_MB_body_is_refused_with_a_code()
    {
        var body = "{\"query\":\"" + new string('a', 10 * 1024 * 1024) + "\"}";

        var response = await silo.SendAsync(Raw(HttpMethod.Post, body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("REQUEST_TOO_LARGE", response.ErrorCode());
    }

    [Fact]
    public async Task A_body_sent_in_chunks_without_a_length_is_read_whole_and_refused_past_the_limit()
    {
        // A comment pads the query past the first read buffer, so the body is gathered over several reads.
        var padded = "{\"query\":\"{ __typename } #" + new string('a', 40_000) + "\"}";
        var tooLarge = "{\"query\":\"{ __typename } #" + new string('a', 300 * 1024) + "\"}";

        var ok = await silo.SendAsync(Chunked(padded));
        var refused = await silo.SendAsync(Chunked(tooLarge));

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("Query", ok.Data()["__typename"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Equal("REQUEST_TOO_LARGE", refused.ErrorCode());
    }

    private HttpRequestMessage Chunked(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, silo.GraphQLUri) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    [Fact]
    public async Task Another_content_type_is_refused()
    {
        var response = await silo.SendAsync(Raw(HttpMethod.Post, "{ instance { name } }", "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Get_serves_queries()
    {
        var response = await silo.SendAsync(new HttpRequestMessage(HttpMethod.Get, silo.GraphQLUri + "?query=" + Uri.EscapeDataString("{ instance { name } }")));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("TiBillet", response.Data()["instance"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_refuses_mutations_and_runs_nothing()
    {
        var query = Uri.EscapeDataString("mutation { createPartner(name: \"via-get\") { id } }");
        using var request = new HttpRequestMessage(HttpMethod.Get, silo.GraphQLUri + "?query=" + query);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await silo.AdminTokenAsync());

        var response = await silo.SendAsync(request);

        Assert.Equal("BAD_REQUEST", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task A_mutation_cached_from_a_post_is_still_refused_over_get()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = $"mutation {{ createPartner(name: \"cached-{Guid.NewGuid():N}\") {{ id }} }}";
        Assert.NotNull((await silo.PostAsync(query, authorization: admin)).Data()["createPartner"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, silo.GraphQLUri + "?query=" + Uri.EscapeDataString(query));
        request.Headers.TryAddWithoutValidation("Authorization", admin);

        var response = await silo.SendAsync(request);

        Assert.Equal("BAD_REQUEST", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task A_cached_document_is_authorized_again_for_each_caller()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var query = $"mutation {{ createPartner(name: \"auth-{Guid.NewGuid():N}\") {{ id }} }}";
        Assert.NotNull((await silo.PostAsync(query, authorization: admin)).Data()["createPartner"]);

        var anonymous = await silo.PostAsync(query);
        var uncached = await silo.PostAsync(query + $" # {Guid.NewGuid():N}");

        Assert.Equal("UNAUTHENTICATED", anonymous.ErrorCode());
        Assert.Null(anonymous.Body["data"]);
        // The cached document is refused exactly as a fresh one: same code, message and location.
        Assert.Equal(uncached.Body["errors"]!.ToJsonString(), anonymous.Body["errors"]!.ToJsonString());
    }

    [Fact]
    public async Task A_cached_document_still_checks_each_request_s_variables()
    {
        const string Login = "mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }";
        var uncachedWrongType = await silo.PostAsync(Login + $" # {Guid.NewGuid():N}", new { e = 12, s = "wrong-secret" });
        var uncachedMissing = await silo.PostAsync(Login + $" # {Guid.NewGuid():N}", new { e = "nobody@example.org" });
        var query = Login + $" # {Guid.NewGuid():N}";
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(query, new { e = "nobody@example.org", s = "wrong-secret" })).ErrorCode());

        var wrongType = await silo.PostAsync(query, new { e = 12, s = "wrong-secret" });
        var missing = await silo.PostAsync(query, new { e = "nobody@example.org" });

        Assert.Equal("INVALID_VALUE", uncachedWrongType.ErrorCode());
        Assert.Equal(uncachedWrongType.ErrorCode(), wrongType.ErrorCode());
        Assert.NotNull(uncachedMissing.ErrorCode());
        Assert.Equal(uncachedMissing.ErrorCode(), missing.ErrorCode());
        Assert.Null(wrongType.Body["data"]);
        Assert.Null(missing.Body["data"]);
    }

    [Fact]
    public async Task Other_methods_are_refused()
    {
        var response = await silo.SendAsync(new HttpRequestMessage(HttpMethod.Put, silo.GraphQLUri) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task An_unexpected_exception_is_internal_with_a_generic_message()
    {
        var response = await silo.PostAsync("{ boom }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("INTERNAL", response.ErrorCode());
        Assert.DoesNotContain("secret internal detail", response.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var live = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/health/live"), TestContext.Current.CancellationToken);
        using var ready = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/health/ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
