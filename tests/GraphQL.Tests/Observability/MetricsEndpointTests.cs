using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Observability;

/// <summary>Prometheus scrapes the silo's own listener and finds the API's counts and the platform's meters.</summary>
[Collection(MetricsCollection.Name)]
public sealed partial class MetricsEndpointTests(MetricsSiloFixture silo)
{
    [Fact]
    public async Task Sales_top_ups_and_errors_are_counted_on_the_metrics_listener()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(1_000);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await net.PayAsync(card, 150, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        }

        Assert.False((await net.PayAsync(card, 5_000, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        // An anonymous call to a staff field: refused with UNAUTHENTICATED.
        var refused = await silo.PostAsync("{ verifyLedger { clean } }");
        Assert.Contains("UNAUTHENTICATED", refused.Body.ToJsonString(), StringComparison.Ordinal);

        var text = await ScrapeUntilAsync(t =>
            Value(t, "tibillet_api_sales_total", ("venue", net.Venue), ("channel", "counter"), ("outcome", "APPROVED")) == 3
            && Value(t, "tibillet_api_sales_total", ("venue", net.Venue), ("outcome", "INSUFFICIENT_FUNDS")) == 1
            && Value(t, "tibillet_api_topups_total", ("venue", net.Venue), ("outcome", "APPROVED")) == 1
            && Value(t, "tibillet_api_errors_total", ("code", "UNAUTHENTICATED")) >= 1);

        // Orleans' own meter, Npgsql's pool, ASP.NET Core's request durations.
        Assert.Matches(new Regex("^orleans_", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^db_client_connection", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^http_server_request_duration", RegexOptions.Multiline), text);
    }

    [Fact]
    public async Task The_public_listener_has_no_metrics_and_the_metrics_listener_serves_nothing_else()
    {
        using var publicMetrics = await silo.Http.GetAsync(new Uri(silo.BaseAddress, "/metrics"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);

        using var api = await silo.Http.GetAsync(new Uri($"http://127.0.0.1:{silo.MetricsPort}/graphql?query=%7B__typename%7D"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);

        using var metrics = await silo.Http.GetAsync(silo.MetricsUri, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the exporter caches a scrape briefly), at most 15 s.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            text = await silo.Http.GetStringAsync(silo.MetricsUri, TestContext.Current.CancellationToken);
            if (done(text))
            {
                return text;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The expected counts never showed on /metrics:\n" + string.Join('\n', text.Split('\n').Where(l => l.StartsWith("tibillet_", StringComparison.Ordinal))));
        return text;
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> carrying every one of <paramref name="labels"/>.</summary>
    private static double Value(string text, string metric, params (string Name, string Value)[] labels) =>
        Sample().Matches(text)
            .Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
