using System.Collections.Immutable;
using System.Security.Cryptography;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Support;

/// <summary>
/// A fresh venue with its TLF, TNF, TIM and BDG, FED, and a cashier card, on the shared cluster. Every id is new, so tests
/// sharing a cluster never see each other's data.
/// </summary>
public sealed class TestNetwork
{
    public const string FedName = "Euro fédéré";

    private readonly CardWallets _cardWallets;

    private TestNetwork(IGrainFactory grains, CardWallets cardWallets, VenueId venue, AssetDetails tlf, AssetDetails tnf, AssetDetails tim, AssetDetails bdg, AssetDetails fed, CardUid cashier)
    {
        Grains = grains;
        _cardWallets = cardWallets;
        Venue = venue;
        Tlf = tlf;
        Tnf = tnf;
        Tim = tim;
        Bdg = bdg;
        Fed = fed;
        Cashier = cashier;
    }

    public IGrainFactory Grains { get; }

    public VenueId Venue { get; }

    public WalletId VenueWallet => WalletId.OfVenue(Venue);

    public AssetDetails Tlf { get; }

    public AssetDetails Tnf { get; }

    public AssetDetails Tim { get; }

    public AssetDetails Bdg { get; }

    public AssetDetails Fed { get; }

    public CardUid Cashier { get; }

    public static async Task<TestNetwork> CreateAsync(ClusterFixture fixture)
    {
        var grains = fixture.Grains;
        var ct = TestContext.Current.CancellationToken;
        var fed = await EnsureFedAsync(grains);
        var venue = NewVenueId();
        var v = grains.GetVenue(venue);
        await v.CreateAsync(new CreateVenueRequest("Café " + venue.Value), ct);
        var tlf = await v.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TLF, "Euro local"), ct);
        var tnf = await v.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TNF, "Cadeau"), ct);
        var tim = await v.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.TIM, "Heures"), ct);
        var bdg = await v.AddAssetAsync(new AddAssetRequest(AssetId.New(), AssetKind.BDG, "Pointage"), ct);
        var cashier = (await RegisterCardsAsync(grains, 1))[0];
        await grains.GetCard(cashier).GrantCashierAsync(venue, ct);
        return new TestNetwork(grains, new CardWallets(grains, new CardStore(fixture.Database.DataSource)), venue, tlf, tnf, tim, bdg, fed, cashier);
    }

    public static Task<AssetDetails> EnsureFedAsync(IGrainFactory grains) =>
        grains.GetAsset(AssetId.Federated).CreateAsync(new CreateAssetRequest(AssetKind.FED, FedName, null), TestContext.Current.CancellationToken);

    public static VenueId NewVenueId() => new("v-" + Guid.NewGuid().ToString("N")[..12]);

    public static CardUid NewUid() => new(Convert.ToHexString(RandomNumberGenerator.GetBytes(7)));

    public static CardNumber NewNumber()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return new CardNumber(RandomNumberGenerator.GetString(alphabet, 8));
    }

    public static IdempotencyKey NewKey() => new("k-" + Guid.NewGuid().ToString("N"));

    public static async Task<CardUid[]> RegisterCardsAsync(IGrainFactory grains, int count)
    {
        var cards = Enumerable.Range(0, count).Select(_ => new NewCard(NewUid().Value, NewNumber().Value, "qr-" + Guid.NewGuid().ToString("N"))).ToImmutableArray();
        var report = await grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest("test", cards), TestContext.Current.CancellationToken);
        Assert.Empty(report.Errors);
        Assert.Equal(count, report.Registered);
        return [.. cards.Select(c => new CardUid(c.Uid))];
    }

    public Task<CardUid[]> NewCardsAsync(int count) => RegisterCardsAsync(Grains, count);

    public async Task<CardUid> NewCardAsync() => (await RegisterCardsAsync(Grains, 1))[0];

    public ICardGrain Card(CardUid uid) => Grains.GetCard(uid);

    public async Task<WalletId> WalletOfAsync(CardUid uid) => (await Card(uid).GetDetailsAsync(TestContext.Current.CancellationToken)).Wallet!.Value;

    public Task<MovementResult> RefillAsync(CardUid card, long amount, AssetId? asset = null, IdempotencyKey? key = null) =>
        Card(card).RefillAsync(new RefillRequest(key ?? NewKey(), Venue, Cashier, amount, PaymentMeans.Cash, asset), TestContext.Current.CancellationToken);

    public Task<PaymentResult> PayAsync(CardUid card, long amount, IdempotencyKey? key = null, PaymentMeans complement = PaymentMeans.None, CardUid? complementCard = null) =>
        PayAsync(card, Sale(amount, key, complement, complementCard));

    /// <summary>Pays through the sale's door, as the API does: a second card at the card grain, one card at its own wallet.</summary>
    public Task<PaymentResult> PayAsync(CardUid card, SaleRequest sale, CancellationToken cancellationToken = default) =>
        PayThroughAsync(_cardWallets, card, sale, cancellationToken);

    /// <summary>As <see cref="PayAsync(CardUid, SaleRequest, CancellationToken)"/>, finding the card's own wallet through <paramref name="cardWallets"/> (another silo's, say).</summary>
    public async Task<PaymentResult> PayThroughAsync(CardWallets cardWallets, CardUid card, SaleRequest sale, CancellationToken cancellationToken = default) =>
        sale.NamesSecondCard
            ? await Card(card).PayWithSecondCardAsync(sale, cancellationToken)
            : await (await cardWallets.OwnWalletAsync(card, cancellationToken)).PayWithCardAsync(sale, card, cancellationToken);

    public SaleRequest Sale(long amount, IdempotencyKey? key = null, PaymentMeans complement = PaymentMeans.None, CardUid? complementCard = null) =>
        new(key ?? NewKey(), Venue, Cashier, [new SaleLine("Bière", 1, amount)], complement, complementCard);

    public async Task<MovementResult> IssueFedAsync(CardUid card, long amount) =>
        await Grains.GetWallet(await WalletOfAsync(card)).IssueAsync(new IssueRequest(NewKey(), AssetId.Federated, amount), TestContext.Current.CancellationToken);

    public async Task<Dictionary<AssetId, long>> BalancesAsync(CardUid card)
    {
        var details = await Card(card).GetBalancesAsync(null, TestContext.Current.CancellationToken);
        return details.Balances.ToDictionary(b => b.Asset, b => b.Amount);
    }
}
