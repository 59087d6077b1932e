using TiBillet.Bench.Load;

namespace TiBillet.Bench.Payments;

/// <summary>
/// Part (b), sales through GraphQL over HTTP on loopback: the hook for the API side. Fill <see cref="RunAsync"/> (start the
/// GraphQL endpoint on the same silo host, then drive <c>pay</c> mutations with the same cards and venue as part (a)).
/// Returning null leaves <c>graphql_per_s</c>, <c>graphql_vs_sql</c> and <c>graphql_p99_ms</c> null in the summary.
/// </summary>
public static class GraphQLSales
{
    /// <summary>Everything part (a) set up, for part (b) to reuse.</summary>
    public sealed record Context(IServiceProvider SiloServices, string Venue, string Cashier, IReadOnlyList<string> Cards, TimeSpan WarmUp, TimeSpan Duration);

    /// <summary>Peak (closed loop) and half-peak open-loop results, or null when not implemented.</summary>
    public static Task<(LoadResult Peak, LoadResult HalfPeak)?> RunAsync(Context context) => Task.FromResult<(LoadResult, LoadResult)?>(null);
}
