using Orleans.Concurrency;

namespace TiBillet.Grains.Ledger;

[StatelessWorker(1)]
public sealed class LedgerGrain(LedgerVerifier verifier) : Grain, ILedgerGrain
{
    [ResponseTimeout("00:05:00")] // Reason: verification streams the whole ledger; the default 30 s is too short for a large one.
    public Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default) => verifier.VerifyAsync(cancellationToken);
}
