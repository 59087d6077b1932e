using Orleans;

namespace TiBillet.Grains.Common;

/// <summary>
/// Turns a grain's "database unreachable" failure into <see cref="DomainException"/> UNAVAILABLE at the grain's
/// boundary. Npgsql's exceptions cannot cross silos (Orleans has no codec for them), so without this a grain on another
/// silo failing on a dead database reached the API as an unknown error (INTERNAL) instead of "retry with the same key".
/// </summary>
public sealed class DatabaseUnavailableCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is not DomainException && DatabaseFailures.IsUnavailable(e))
        {
            throw new DomainException(ErrorCodes.Unavailable, "The database is temporarily unavailable; retry with the same idempotency key.");
        }
    }
}
