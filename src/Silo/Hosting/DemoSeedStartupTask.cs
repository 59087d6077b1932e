using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Catalog;
using TiBillet.Grains.Orders;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Memberships;
using TiBillet.Grains.PointOfSale;
using TiBillet.Grains.Venues;
using TiBillet.Grains.Wallets;

namespace TiBillet.Silo.Hosting;

/// <summary>
/// Seeds a small demo network through the grains, as any client would: one venue with its euro (TLF), gift money (TNF)
/// and time currency (TIM), a till "bar", a door till "door", a membership product, a cashier card, 20 anonymous cards with balances and three
/// published events (<see cref="DemoEvents"/>). Idempotent: every step checks what
/// exists or uses a fixed idempotency key, so a restart changes nothing.
/// </summary>
public sealed partial class DemoSeedStartupTask(IGrainFactory grains, MembershipStore memberships, ILogger<DemoSeedStartupTask> logger) : IStartupTask
{
    public static readonly VenueId Venue = new("demo-venue");
    public static readonly CardUid CashierCard = new("04CA5E01");
    public const int CustomerCards = 20;

    /// <summary>The demo till, where reader devices can be registered.</summary>
    public static readonly PointOfSaleId Bar = new(Venue, "bar");

    /// <summary>The demo door: a till in DOOR mode, where a tap checks the card holder in for the event under way.</summary>
    public static readonly PointOfSaleId Door = new(Venue, "door");

    /// <summary>The demo venue's membership product: a calendar-year membership at 15.00 €.</summary>
    public static readonly MembershipProductId Membership = new(new Guid("0d0d0d0d-0000-4000-8000-00000000ad01"));

    /// <summary>UID of demo customer card <paramref name="n"/> (1-based): DE000001 … DE000014 (hex).</summary>
    public static CardUid CustomerCard(int n) => new($"DE{n:X6}");

    public async Task Execute(CancellationToken cancellationToken)
    {
        var venue = grains.GetVenue(Venue);
        var details = await venue.CreateAsync(new CreateVenueRequest("Le Bar Commun"), cancellationToken);
        var tlf = await EnsureAssetAsync(venue, details, AssetKind.TLF, "Euro du Bar Commun", cancellationToken);
        var tnf = await EnsureAssetAsync(venue, details, AssetKind.TNF, "Cadeau", cancellationToken);
        await EnsureAssetAsync(venue, details, AssetKind.TIM, "Heures bénévoles", cancellationToken);

        var cards = ImmutableArray.CreateBuilder<NewCard>();
        cards.Add(new NewCard(CashierCard.Value, "CASHIER1", "demo-cashier"));
        for (var n = 1; n <= CustomerCards; n++)
        {
            cards.Add(new NewCard(CustomerCard(n).Value, $"DEMO{n:D4}", $"demo-{n:D4}"));
        }

        await grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest("demo", cards.ToImmutable()), cancellationToken);
        await grains.GetCard(CashierCard).GrantCashierAsync(Venue, cancellationToken);
        await grains.GetPointOfSale(Bar).CreateAsync(new CreatePointOfSaleRequest("Bar"), cancellationToken);
        await grains.GetPointOfSale(Door).CreateAsync(new CreatePointOfSaleRequest("Entrée", PointOfSaleMode.Door), cancellationToken);
        // A fixed id: the insert of an existing product changes nothing.
        await memberships.InsertProductAsync(new MembershipProduct(Membership, Venue, "Adhésion annuelle", MembershipDuration.CalendarYear, 1500, false,
            "Europe/Paris", false, DateTimeOffset.UtcNow), cancellationToken);
        await SeedMenuAsync(tlf, cancellationToken);

        for (var n = 1; n <= CustomerCards; n++)
        {
            var card = grains.GetCard(CustomerCard(n));
            // Fixed keys: a restart replays the first result instead of topping up again.
            await card.RefillAsync(new RefillRequest(new IdempotencyKey($"demo-seed:tlf:{n}"), Venue, CashierCard, 1000 + (n * 100), PaymentMeans.Cash, tlf), cancellationToken);
            if (n % 4 == 0)
            {
                await card.RefillAsync(new RefillRequest(new IdempotencyKey($"demo-seed:tnf:{n}"), Venue, CashierCard, 500, PaymentMeans.Cash, tnf), cancellationToken);
            }
        }

        await DemoEvents.SeedAsync(grains, Venue, cancellationToken);
        LogSeeded(logger, Venue.Value, CustomerCards);
    }

    /// <summary>Fixed ids for the demo menu, so the README's requests can name them and a restart changes nothing.</summary>
    public static class Menu
    {
        public static readonly Guid Drinks = new("0d0c0000-0000-4000-8000-000000000001");
        public static readonly Guid Food = new("0d0c0000-0000-4000-8000-000000000002");
        public static readonly Guid Beer = new("0d0c0000-0000-4000-8000-000000000101");
        public static readonly Guid Lemonade = new("0d0c0000-0000-4000-8000-000000000102");
        public static readonly Guid Fries = new("0d0c0000-0000-4000-8000-000000000201");
        public static readonly Guid Burger = new("0d0c0000-0000-4000-8000-000000000202");
        public static readonly Guid CupBack = new("0d0c0000-0000-4000-8000-000000000103");
        public static readonly Guid Counter = new("0d0c0000-0000-4000-8000-000000000003");
        public static readonly Guid TopUp = new("0d0c0000-0000-4000-8000-000000000301");
        public static readonly Guid MembershipLine = new("0d0c0000-0000-4000-8000-000000000302");
    }

    private async Task SeedMenuAsync(AssetId tlf, CancellationToken cancellationToken)
    {
        var catalog = grains.GetCatalog(Venue);
        await catalog.SaveCategoryAsync(new SaveCategoryRequest(Menu.Drinks, "Boissons", 2000, "bar"), cancellationToken);
        await catalog.SaveCategoryAsync(new SaveCategoryRequest(Menu.Food, "Cuisine", 1000, "kitchen"), cancellationToken);
        (Guid Id, Guid Category, string Name, ProductBehaviour Behaviour, int? Vat, long Price)[] products =
        [
            (Menu.Beer, Menu.Drinks, "Bière pression", ProductBehaviour.Sale, null, 350),
            (Menu.Lemonade, Menu.Drinks, "Limonade", ProductBehaviour.Sale, 550, 250),
            (Menu.CupBack, Menu.Drinks, "Retour gobelet", ProductBehaviour.DepositReturn, null, 100),
            (Menu.Fries, Menu.Food, "Frites", ProductBehaviour.Sale, null, 400),
            (Menu.Burger, Menu.Food, "Burger", ProductBehaviour.Sale, null, 1200),
        ];
        for (var i = 0; i < products.Length; i++)
        {
            var p = products[i];
            await catalog.SaveProductAsync(new SaveProductRequest(p.Id, p.Category, p.Name, p.Behaviour, p.Vat, null, false, [new Placement(Bar.Code, p.Price, i + 1)]), cancellationToken);
        }

        // A small table plan for orders (saving a table again changes nothing).
        var tables = grains.GetTablePlan(Venue);
        foreach (var n in new[] { 1, 2, 3, 4 })
        {
            await tables.SaveTableAsync($"t{n}", $"Table {n}", cancellationToken);
        }
        // The counter's own lines: a top-up of the venue's euro (placed at 0: the cashier types the amount) and the membership.
        await catalog.SaveCategoryAsync(new SaveCategoryRequest(Menu.Counter, "Caisse", 0, null), cancellationToken);
        await catalog.SaveProductAsync(new SaveProductRequest(Menu.TopUp, Menu.Counter, "Recharge", ProductBehaviour.TopUp, null, tlf, false,
            [new Placement(Bar.Code, 0, products.Length + 1)]), cancellationToken);
        await catalog.SaveProductAsync(new SaveProductRequest(Menu.MembershipLine, Menu.Counter, "Adhésion annuelle", ProductBehaviour.Membership, null, null, false,
            [new Placement(Bar.Code, 1500, products.Length + 2)], Membership.Value), cancellationToken);
    }

    private static async Task<AssetId> EnsureAssetAsync(IVenueGrain venue, VenueDetails details, AssetKind kind, string name, CancellationToken cancellationToken)
    {
        foreach (var asset in details.Assets)
        {
            if (asset.Kind == kind && !asset.Archived)
            {
                return asset.Id;
            }
        }

        return (await venue.AddAssetAsync(new AddAssetRequest(AssetId.New(), kind, name), cancellationToken)).Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo network ready: venue {VenueId} with {Cards} customer cards")]
    private static partial void LogSeeded(ILogger logger, string venueId, int cards);
}
