using System.Net;
using System.Text.Json.Nodes;
using TiBillet.Silo.Hosting;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Observability;

/// <summary>The Orleans Dashboard, when turned on, is served on the private metrics listener and nowhere else.</summary>
[Collection(MetricsCollection.Name)]
public sealed class DashboardTests(MetricsSiloFixture silo)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Private(string path) => new($"http://127.0.0.1:{silo.MetricsPort}{path}");

    [Fact]
    public async Task The_dashboard_answers_on_the_metrics_listener_with_this_cluster_s_silos_and_grains()
    {
        // Some grain calls to show.
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        await net.FundedCardAsync(500);

        // The address an operator opens (the page loads its script and data relative to it).
        using var page = await silo.Http.GetAsync(Private("/dashboard/"), Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("index.min.js", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var script = await silo.Http.GetAsync(Private("/dashboard/index.min.js"), Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);

        // The page's data: this silo, active, and our grain types among the activations.
        var counters = await CountersAsync();
        Assert.Contains(counters["hosts"]!.AsArray(), h => h!["status"]!.GetValue<string>() == "Active");
        Assert.Contains(counters["simpleGrainStats"]!.AsArray(), g => g!["grainType"]!.GetValue<string>().StartsWith("TiBillet.Grains.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_public_listener_never_serves_the_dashboard()
    {
        foreach (var path in new[] { "/dashboard", "/dashboard/", "/dashboard/index.html", "/dashboard/DashboardCounters", "/dashboard/ClusterStats", "/dashboard/GrainTypes" })
        {
            using var response = await silo.Http.GetAsync(new Uri(silo.BaseAddress, path), Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public void The_dashboard_is_off_unless_configured() => Assert.False(new ObservabilityOptions().Dashboard);

    /// <summary>The dashboard's counters, once its collector has gathered the grain statistics (it polls every second or so).</summary>
    private async Task<JsonNode> CountersAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await silo.Http.GetAsync(Private("/dashboard/DashboardCounters"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var counters = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            if (counters["simpleGrainStats"] is JsonArray { Count: > 0 } || DateTime.UtcNow > deadline)
            {
                return counters;
            }

            await Task.Delay(250, Ct);
        }
    }
}
