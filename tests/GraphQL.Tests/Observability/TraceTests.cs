using System.Collections.Concurrent;
using System.Diagnostics;
using TiBillet.Grains.Common;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Observability;

/// <summary>With tracing on, a sale is one trace: the HTTP request, the pay field, the grain calls and the ledger COMMIT.</summary>
[Collection(MetricsCollection.Name)]
public sealed class TraceTests(MetricsSiloFixture silo)
{
    [Fact]
    public async Task A_sale_traces_from_the_request_to_the_ledger_commit()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is TiBilletTelemetry.ActivitySourceName or "Microsoft.AspNetCore" || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(500);
        Assert.True((await net.PayAsync(card, 200, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());

        var pay = spans.Single(s => s.OperationName == "tibillet.pay" && (string?)s.GetTagItem("tibillet.venue") == net.Venue);
        var trace = spans.Where(s => s.TraceId == pay.TraceId).ToList();
        // The request's own span is the root; the COMMIT span hangs below the pay field, through the grain calls.
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Parent is null && pay.ParentSpanId == s.SpanId);
        var commit = Assert.Single(trace, s => s.OperationName == "tibillet.ledger.commit");
        Assert.Equal("Committed", commit.GetTagItem("tibillet.ledger.status"));
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.True(commit.StartTimeUtc >= pay.StartTimeUtc && commit.StartTimeUtc + commit.Duration <= pay.StartTimeUtc + pay.Duration);
    }
}
