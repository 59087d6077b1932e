using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Ide;

/// <summary>The GraphiQL page at GET /graphql: served to browsers from the silo itself, and working in a real browser.</summary>
[Collection(SiloCollection.Name)]
public sealed class GraphiQLPageTests(TestFieldsSiloFixture silo)
{
    [Fact]
    public async Task A_browser_runs_a_query_with_its_token_against_the_live_schema()
    {
        var token = await silo.AdminTokenAsync();
        var cancellation = TestContext.Current.CancellationToken;
        await using var browser = await HeadlessChromium.StartAsync(cancellation);
        var query = "{ me { kind isInstanceAdmin } }";
        await browser.NavigateAsync(new Uri(silo.GraphQLUri + "?query=" + Uri.EscapeDataString(query)), cancellation);

        // GraphiQL rendered, with the query from the link in its editor.
        await browser.WaitForAsync("!!document.querySelector('.graphiql-execute-button')", TimeSpan.FromSeconds(30), cancellation);
        await browser.EvaluateAsync(
            $"(() => {{ const i = document.getElementById('tibillet-token'); i.value = '{token}'; i.dispatchEvent(new Event('input')); }})()", cancellation);
        await browser.EvaluateAsync("document.querySelector('.graphiql-execute-button').click()", cancellation);

        var shown = (await browser.WaitForAsync(
            "((document.querySelector('.result-window') || {}).innerText || '').includes('isInstanceAdmin') && document.querySelector('.result-window').innerText",
            TimeSpan.FromSeconds(30), cancellation)).GetValue<string>();
        Assert.Contains("\"isInstanceAdmin\": true", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("errors", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_for_browsers_and_api_clients_still_get_the_api()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, silo.GraphQLUri);
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var html = await silo.Http.SendAsync(page, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var body = await html.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("graphql/ide/graphiql.min.js", body, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", body, StringComparison.Ordinal);

        using var api = new HttpRequestMessage(HttpMethod.Get, silo.GraphQLUri + "?query=%7B__typename%7D");
        api.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var json = await silo.Http.SendAsync(api, TestContext.Current.CancellationToken);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);

        using var missing = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/graphql/ide/nothing.js"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_served_assets_are_the_pinned_checksummed_files()
    {
        var root = Path.Combine(SchemaRoot(), "src", "GraphQL", "Ide", "wwwroot");
        foreach (var line in File.ReadAllLines(Path.Combine(root, "SHA256SUMS")))
        {
            var (hash, file) = (line[..64], line[66..]);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, file)))));
            using var served = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/graphql/ide/" + file), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken))));
        }
    }

    private static string SchemaRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiBillet.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
