using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Venues;

public sealed partial class VenueGrain(
    [PersistentState("venue", StorageNames.Configuration)] IPersistentState<VenueState> state,
    LedgerDirectory directory,
    IVenueFederationSource federations,
    VenueProfileCache profiles,
    ILogger<VenueGrain> logger) : Grain, IVenueGrain
{
    public const int MaxNameLength = 200;

    private VenueId Id => new(this.GetPrimaryKeyString());

    private VenueDetails Current => state.State.Details ?? throw new DomainException(ErrorCodes.NotFound, "No such venue.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Keys come from VenueId, but a grain reached with a raw string must not exist under a malformed id.
        VenueId.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<VenueDetails> CreateAsync(CreateVenueRequest request, CancellationToken cancellationToken = default)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A venue name is 1 to {MaxNameLength} characters.");
        }

        if (state.State.Details is { } existing)
        {
            return existing.Name == name ? existing : throw new DomainException(ErrorCodes.Conflict, "This venue already exists under another name.");
        }

        var details = new VenueDetails(Id, name, WalletId.OfVenue(Id), [], [], DateTimeOffset.UtcNow);
        await directory.RegisterVenueAsync(details, cancellationToken);
        await WriteAsync(details);
        LogCreated(logger, Id.Value);
        return details;
    }

    public Task<VenueDetails> GetDetailsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Current);

    public async Task<AssetDetails> AddAssetAsync(AddAssetRequest request, CancellationToken cancellationToken = default)
    {
        var venue = Current;
        if (request.Kind == AssetKind.FED || !Enum.IsDefined(request.Kind))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A venue issues local assets only (TLF, TNF, TIM, FID, SUB, BDG).");
        }

        if (request.Id == AssetId.Federated || request.Id.Value == Guid.Empty)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "This asset id is reserved.");
        }

        var known = venue.Assets.FirstOrDefault(a => a.Id == request.Id);
        if (known is null && request.Kind is AssetKind.TLF or AssetKind.TNF or AssetKind.TIM or AssetKind.FID
            && venue.Assets.Any(a => a.Kind == request.Kind && !a.Archived))
        {
            throw new DomainException(ErrorCodes.Conflict, $"The venue already has an active {request.Kind}; archive it first.");
        }

        // The asset grain checks idempotency (same id and values) and conflicts (id taken by another asset).
        var asset = await GrainFactory.GetAsset(request.Id).CreateAsync(new CreateAssetRequest(request.Kind, request.Name, Id), cancellationToken);
        if (known is null)
        {
            await WriteAsync(venue with { Assets = venue.Assets.Add(asset) });
        }

        return asset;
    }

    public async Task<AssetDetails> ArchiveAssetAsync(AssetId asset, CancellationToken cancellationToken = default)
    {
        var venue = Current;
        var index = venue.Assets.IndexOf(venue.Assets.FirstOrDefault(a => a.Id == asset)!);
        if (index < 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "This venue issues no such asset.");
        }

        var archived = await GrainFactory.GetAsset(asset).ArchiveAsync(cancellationToken);
        if (!venue.Assets[index].Archived)
        {
            await WriteAsync(venue with
            {
                Assets = venue.Assets.SetItem(index, archived),
                SpendingOrder = venue.SpendingOrder.Remove(asset),
            });
        }

        return archived;
    }

    public async Task<VenueDetails> SetSpendingOrderAsync(ImmutableArray<AssetId> order, CancellationToken cancellationToken = default)
    {
        var venue = Current;
        order = order.IsDefault ? [] : order;
        var accepted = await AcceptedAsync(venue, cancellationToken);
        if (order.Distinct().Count() != order.Length)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "An asset appears twice in the spending order.");
        }

        foreach (var id in order)
        {
            var asset = accepted.FirstOrDefault(a => a.Id == id);
            if (asset is null || !SpendingOrder.IsSpendable(asset.Kind))
            {
                throw new DomainException(ErrorCodes.BadUserInput, "The spending order may list only accepted TNF, TLF, FED, TIM or FID assets.");
            }
        }

        var updated = venue with { SpendingOrder = order };
        await WriteAsync(updated);
        return updated;
    }

    public async Task<VenuePaymentProfile> GetPaymentProfileAsync(CancellationToken cancellationToken = default)
    {
        var venue = Current;
        var accepted = await AcceptedAsync(venue, cancellationToken);
        return new VenuePaymentProfile(Id, venue.Wallet, venue.Assets, accepted, SpendingOrder.Compute(Id, accepted, venue.SpendingOrder));
    }

    private async Task<ImmutableArray<AssetDetails>> AcceptedAsync(VenueDetails venue, CancellationToken cancellationToken)
    {
        var accepted = ImmutableArray.CreateBuilder<AssetDetails>();
        accepted.AddRange(venue.Assets.Where(a => !a.Archived));
        foreach (var asset in await federations.GetFederatedAssetsAsync(Id, cancellationToken))
        {
            if (!asset.Archived && accepted.All(a => a.Id != asset.Id))
            {
                accepted.Add(asset);
            }
        }

        if (await GrainFactory.GetAsset(AssetId.Federated).FindAsync(cancellationToken) is { } fed)
        {
            accepted.Add(fed);
        }

        return accepted.ToImmutable();
    }

    private async Task WriteAsync(VenueDetails details)
    {
        state.State = new VenueState { Details = details };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            profiles.Invalidate(Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Venue {VenueId} created")]
    private static partial void LogCreated(ILogger logger, string venueId);
}
