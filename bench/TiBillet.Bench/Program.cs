using TiBillet.Bench.Cluster;
using TiBillet.Bench.Closures;
using TiBillet.Bench.Payments;
using TiBillet.Bench.Taps;
using TiBillet.Bench.Tickets;

// One entry point, named scenarios (as Orleans' Benchmarks/Program.cs). Loopback only, bounded in count and time.
var scenarios = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["payments"] = a => PaymentsScenario.RunAsync(a),
    ["taps"] = a => TapsScenario.RunAsync(a),
    ["cluster"] = a => ClusterScenario.RunAsync(a),
    ["tickets"] = a => TicketsScenario.RunAsync(a),
    ["closure"] = a => ClosureScenario.RunAsync(a),
};

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var run))
{
    await Console.Error.WriteLineAsync("usage: TiBillet.Bench <scenario> [--quick]\nscenarios: " + string.Join(", ", scenarios.Keys));
    return 2;
}

return await run(args[1..]);
