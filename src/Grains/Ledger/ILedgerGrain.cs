namespace TiBillet.Grains.Ledger;

/// <summary>Ledger-wide operations. Stateless: any silo serves it.</summary>
[Alias("TiBillet.Grains.Ledger.ILedgerGrain")]
public interface ILedgerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Recomputes every writer's hash chain and every balance from the transaction rows and checks the invariants (each
    /// asset sums to 0, no non-mint wallet negative). Read-only; reports mismatches rather than throwing. Reads the whole
    /// ledger: an administrative call, not for hot paths.
    /// </summary>
    [Alias("VerifyAsync")]
    Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

public static class LedgerGrainFactoryExtensions
{
    public static ILedgerGrain GetLedger(this IGrainFactory grains) => grains.GetGrain<ILedgerGrain>(0);
}
