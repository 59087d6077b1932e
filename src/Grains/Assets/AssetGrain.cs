using Microsoft.Extensions.Logging;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Assets;

public sealed partial class AssetGrain(
    [PersistentState("asset", StorageNames.Configuration)] IPersistentState<AssetState> state,
    LedgerDirectory directory,
    ILogger<AssetGrain> logger) : Grain, IAssetGrain
{
    public const int MaxNameLength = 100;

    private AssetId Id => new(this.GetPrimaryKey());

    public async Task<AssetDetails> CreateAsync(CreateAssetRequest request, CancellationToken cancellationToken = default)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"An asset name is 1 to {MaxNameLength} characters.");
        }

        var isFed = request.Kind == AssetKind.FED;
        if (isFed != (Id == AssetId.Federated) || isFed != (request.IssuingVenue is null) || !Enum.IsDefined(request.Kind))
        {
            throw new DomainException(ErrorCodes.BadUserInput,
                "FED is created once, on the fixed FED id and without venue; every other kind has an issuing venue and its own id.");
        }

        if (state.State.Details is { } existing)
        {
            if (existing.Kind == request.Kind && existing.Name == name && existing.IssuingVenue == request.IssuingVenue)
            {
                return existing;
            }

            throw new DomainException(ErrorCodes.Conflict, "This asset already exists with other values.");
        }

        var details = new AssetDetails(Id, request.Kind, name, request.IssuingVenue, Archived: false, DateTimeOffset.UtcNow);
        // The mint wallet and the read model first: if the state write then fails, a retry finds them and rewrites the same rows.
        await directory.RegisterAssetAsync(details, cancellationToken);
        await WriteAsync(details);
        LogCreated(logger, Id.Value, request.Kind);
        return details;
    }

    public Task<AssetDetails> GetDetailsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.Details ?? throw new DomainException(ErrorCodes.NotFound, "No such asset."));

    public Task<AssetDetails?> FindAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Details);

    public async Task<AssetDetails> ArchiveAsync(CancellationToken cancellationToken = default)
    {
        var details = state.State.Details ?? throw new DomainException(ErrorCodes.NotFound, "No such asset.");
        if (details.Kind == AssetKind.FED)
        {
            throw new DomainException(ErrorCodes.Conflict, "FED cannot be archived.");
        }

        if (details.Archived)
        {
            return details;
        }

        var archived = details with { Archived = true };
        await directory.RegisterAssetAsync(archived, cancellationToken);
        await WriteAsync(archived);
        return archived;
    }

    private async Task WriteAsync(AssetDetails details)
    {
        state.State = new AssetState { Details = details };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId} created ({Kind})")]
    private static partial void LogCreated(ILogger logger, Guid assetId, AssetKind kind);
}
