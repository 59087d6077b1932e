using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Common;

/// <summary>Every type that crosses a grain call or is stored survives the Orleans serializer unchanged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SerializationTests(ClusterFixture fixture)
{
    private static readonly VenueId Venue = new("cafe");
    private static readonly CardUid Uid = new("04A2B3C4D5E6F7");
    private static readonly IdempotencyKey Key = new("key-1");
    private static readonly AssetDetails Asset = new(AssetId.New(), AssetKind.TLF, "Euro local", Venue, false, DateTimeOffset.UnixEpoch);
    private static readonly AssetMovement Movement = new(Asset.Id, 150, WalletId.New(), WalletId.OfVenue(Venue));
    private static readonly AssetBalance Balance = new(Asset.Id, 850);
    private static readonly SaleRequest Sale = new(Key, Venue, Uid, [new SaleLine("Bière", 2, 250)], PaymentMeans.SecondCard, new CardUid("04A2B3C4"));
    private static readonly PaymentResult Payment = new(true, DeclineReason.None, 500, 300, 200, 0, PaymentMeans.SecondCard, 0, [Movement], [Balance], Guid.NewGuid(), DateTimeOffset.UnixEpoch);
    private static readonly CardDetails Card = new(Uid, new CardNumber("AB12CD34"), "qr", "batch", CardState.Identified, WalletId.New(), [Venue], DateTimeOffset.UnixEpoch);

    public static TheoryData<object> Samples() =>
    [
        Venue, Uid, Key, AssetId.New(), WalletId.New(), new CardNumber("AB12CD34"), new EmailAddress("ana@example.org"),
        new DomainException(ErrorCodes.Conflict, "conflict"),
        Asset, new CreateAssetRequest(AssetKind.FED, "Euro", null), new AssetState { Details = Asset },
        new VenueDetails(Venue, "Café", WalletId.OfVenue(Venue), [Asset], [Asset.Id], DateTimeOffset.UnixEpoch),
        new CreateVenueRequest("Café"), new AddAssetRequest(Asset.Id, AssetKind.TNF, "Cadeau"),
        new VenuePaymentProfile(Venue, WalletId.OfVenue(Venue), [Asset], [Asset], [Asset.Id]),
        new VenueState { Details = new VenueDetails(Venue, "Café", WalletId.OfVenue(Venue), [], [], DateTimeOffset.UnixEpoch) },
        Balance, Movement, new WalletDetails(WalletId.New(), WalletKind.Card, [Balance]), new SaleLine("Bière", 2, 250), Sale, Payment,
        new WalletPayment(Sale, Uid, WalletId.New(), WalletId.New(), new CardUid("04A2B3C4")),
        new WalletOffer(WalletId.New(), 3, [Balance], true), new JointPaymentOutcome(JointPaymentStatus.Committed, Payment, [Balance]),
        new RefillRequest(Key, Venue, Uid, 1_000, PaymentMeans.Cash, Asset.Id), new RefundRequest(Key, Venue, Uid, 300, CardPresence.Secret("qr")),
        new RefundResult(true, DeclineReason.None, 300, 300, 0, [Movement], [Balance], Guid.NewGuid(), DateTimeOffset.UnixEpoch),
        new BadgeRequest(Key, Venue, Asset.Id), new TransferRequest(Key, WalletId.New(), Asset.Id, 10), new FusionRequest(Key, WalletId.New(), Uid),
        new TimeGrantRequest(Key, Venue, Asset.Id, 60), new IssueRequest(Key, AssetId.Federated, 500), new CorrectionRequest(Key, Asset.Id, 5, false, "typo"),
        new MovementResult(true, DeclineReason.None, TransactionKind.Refill, [Movement], [Balance], Guid.NewGuid(), DateTimeOffset.UnixEpoch),
        Card, new OwnerLinkRequest(Key, new EmailAddress("ana@example.org"), "qr"), new LinkCardResult(Card, WalletId.New(), [Movement]),
        new StartCardLinkRequest(Key, Venue, new EmailAddress("ana@example.org")), new CardLinkStarted(Uid, Venue, DateTimeOffset.UnixEpoch, false),
        new ConfirmCardLinkRequest("token", new EmailAddress("ana@example.org")), new BlockCardRequest(Venue, "stolen"), CardPresence.Tap,
        new NewCard("04A2B3C4", "AB12CD34", "qr"), new RegisterCardsRequest("b", [new NewCard("04A2B3C4", "AB12CD34", "qr")]),
        new CardImportError(3, ErrorCodes.BadUserInput, "bad"), new CardImportReport(3, 1, 1, [new CardImportError(3, ErrorCodes.BadUserInput, "bad")]),
        new LedgerMismatch("CHAIN", "detail"), new LedgerVerification(false, 1, 2, 3, 4, [new LedgerMismatch("CHAIN", "detail")]),
        new OnlineSaleRequest(Key, Venue, [new SaleLine("Concert", 2, 1000)]), new SaleReturnRequest(Key, Venue, [Movement]),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Round_trips_unchanged(object value)
    {
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;

        Assert.Equal(value.GetType(), copy.GetType());
        if (value is DomainException ex)
        {
            Assert.Equal(ex.Code, ((DomainException)copy).Code);
            Assert.Equal(ex.Message, ((DomainException)copy).Message);
            return;
        }

        // Records holding ImmutableArray compare arrays by reference, so compare their full JSON form.
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void Every_serialisable_type_of_the_cashless_core_has_a_sample()
    {
        // The capabilities of the cashless core; other capabilities keep their own round-trip tests.
        string[] namespaces = ["TiBillet.Grains.Common", "TiBillet.Grains.Assets", "TiBillet.Grains.Venues", "TiBillet.Grains.Cards", "TiBillet.Grains.Wallets", "TiBillet.Grains.Ledger"];
        var covered = Samples().Select(row => row.Data.GetType()).ToHashSet();
        var serialisable = typeof(IWalletGrain).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(GenerateSerializerAttribute), false).Length > 0 && !t.IsEnum && namespaces.Contains(t.Namespace))
            .ToList();
        Assert.Empty(serialisable.Where(t => !covered.Contains(t)).Select(t => t.FullName));
    }
}
