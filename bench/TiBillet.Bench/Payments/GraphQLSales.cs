using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TiBillet.Bench.Load;
using TiBillet.Grains.Ledger;

namespace TiBillet.Bench.Payments;

/// <summary>
/// Part (b): the same sales through the public API, GraphQL over HTTP on loopback, as a counter's cashier sends them
/// (<c>Authorization: Bearer …</c>, one <c>pay</c> mutation per sale, a fresh idempotency key each; devices may not
/// call <c>pay</c>, they sell through <c>tap</c>).
/// </summary>
public static class GraphQLSales
{
    public const string AdminEmail = "bench@tibillet.localhost";
    public const string AdminSecret = "bench-admin-secret-0123456789";

    /// <summary>
    /// HTTP connections (and closed-loop clients), as many as the grain part's clients: alternating runs gave ≈ 2,700–2,900
    /// sales/s with 64, ≈ 2,700–3,050 with 128 and ≈ 3,100–3,550 with 256 (bigger ledger batches at the same CPU).
    /// </summary>
    private const int Clients = 256;

    /// <summary>Everything part (a) set up, for part (b) to reuse.</summary>
    public sealed record Context(Uri GraphQL, string Venue, string Cashier, IReadOnlyList<string> Cards, LedgerMetricsListener Meters, TimeSpan WarmUp, TimeSpan Duration, double OpenFraction, bool GcEvents = false, int? OpenRate = null);

    /// <summary>
    /// Peak (closed loop) and open-loop (at <see cref="Context.OpenFraction"/> of peak, or at <see cref="Context.OpenRate"/>
    /// when given) results, with the open loop's CPU.
    /// </summary>
    public static async Task<(LoadResult Peak, LoadResult HalfPeak, CpuSample HalfPeakCpu)?> RunAsync(Context context)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
        var bearer = await SignInAsync(http, context);
        var run = Guid.NewGuid().ToString("N")[..8];
        // The sales themselves go through a lean client, so the generator takes as little as it can of the server's CPU.
        using var sales = new LoopbackHttpClient(context.GraphQL);

        async Task<bool> SaleAsync(string phase, long i)
        {
            // Cards in turn, as in part (a): a card pays at one till at a time.
            var card = context.Cards[(int)(i % context.Cards.Count)];
            var body = $$$"""{"query":"mutation($k:String!,$v:ID!,$c:String!,$card:String!){pay(idempotencyKey:$k,venueId:$v,cashierUid:$c,cardUid:$card,lines:[{label:\"Bière\",quantity:1,unitPrice:100}]){approved}}","variables":{"k":"{{{run}}}-g{{{phase}}}-{{{i}}}","v":"{{{context.Venue}}}","c":"{{{context.Cashier}}}","card":"{{{card}}}"}}""";
            var (status, text) = await sales.PostAsync(body, bearer);
            return status == (int)HttpStatusCode.OK && text.Contains("\"approved\":true", StringComparison.Ordinal);
        }

        Log($"GraphQL: warm-up {context.WarmUp.TotalSeconds:0}s, then closed loop with {Clients} clients for {context.Duration.TotalSeconds:0}s");
        await LoadGenerator.ClosedLoopAsync(Clients, context.WarmUp, i => SaleAsync("w", i));
        var cpuPeak0 = CpuSample.Take();
        var writerPeak0 = WriterSample.Take(context.Meters);
        var peak = await LoadGenerator.ClosedLoopAsync(Clients, context.Duration, i => SaleAsync("p", i));
        var cpuPeak = CpuSample.Take() - cpuPeak0;
        var writerPeak = WriterSample.Take(context.Meters) - writerPeak0;
        Log($"GraphQL: peak {cpuPeak.Describe(peak.Seconds)}");
        var openRate = context.OpenRate ?? peak.PerSecond * context.OpenFraction;
        Log($"GraphQL: {peak.PerSecond:0}/s peak ({peak.Failed} failed), p99 {peak.Percentile(99):0.0} ms, {writerPeak.Describe(peak.Seconds)}; open loop at {openRate:0}/s");
        LoadGenerator.FullCollection();
        using var gcLog = context.GcEvents ? new GcEventLog() : null;
        gcLog?.Recording = true;
        var gc0 = GcSample.Take();
        var cpu0 = CpuSample.Take();
        var writer0 = WriterSample.Take(context.Meters);
        var open = await LoadGenerator.OpenLoopAsync(openRate, context.Duration, i => SaleAsync("o", i));
        var cpu = CpuSample.Take() - cpu0;
        var writer = WriterSample.Take(context.Meters) - writer0;
        Log($"GraphQL: open loop p50 {open.Percentile(50):0.0} ms, p90 {open.Percentile(90):0.0} ms, p99 {open.Percentile(99):0.0} ms, max {open.Percentile(100):0.0} ms ({open.Failed} failed), generator start lag p99 {LoadResult.Percentile(open.StartLagMs, 99):0.0} ms, max {LoadResult.Percentile(open.StartLagMs, 100):0.0} ms");
        Log($"GraphQL: open loop requests over 20 ms, by scheduled time: {open.SlowRequestTimes(20)}");
        Log($"GraphQL: open loop {cpu.Describe(open.Seconds)}; {GcSample.Take() - gc0}");
        Log($"GraphQL: open loop {writer.Describe(open.Seconds)}");
        gcLog?.Recording = false;
        gcLog?.Dump(Console.Error);
        return (peak, open, cpu);
    }

    private static async Task<string> SignInAsync(HttpClient http, Context context)
    {
        var login = await PostAsync(http, context.GraphQL, "mutation($e:String!,$s:String!){login(email:$e,secret:$s){token}}", new { e = AdminEmail, s = AdminSecret }, null);
        return "Bearer " + (login["data"]?["login"]?["token"]?.GetValue<string>() ?? throw new InvalidOperationException("Sign-in failed: " + login.ToJsonString()));
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, Uri graphql, string query, object variables, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, graphql)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[payments] {message}");
}
