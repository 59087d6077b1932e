using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;
using static TiBillet.Grains.Tests.Wallets.PlannerFacts;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Top-ups, refunds, voids and badges at a counter, decided without a cluster.</summary>
public sealed class CounterPlannerTests
{
    [Fact]
    public void A_top_up_credits_the_venue_TLF_from_its_mint_and_records_the_cash()
    {
        var wallet = Wallet((Tlf.Id, 100));
        var request = new RefillRequest(Key(), Venue, Cashier, 2_000, PaymentMeans.Cash);

        var plan = CounterPlanner.PlanRefill(wallet, Profile, request, null, Card, At);

        Assert.Equal([new LedgerLine(Tlf.Id, 2_000, Tlf.MintWallet, wallet.Id)], plan.Operation!.Lines);
        Assert.Equal((TransactionKind.Refill, 2_000L, PaymentMeans.Cash), (plan.Operation.Kind, plan.Operation.External, plan.Operation.Means));
        Assert.Equal(Balances((Tlf.Id, 2_100)), plan.Result.Balances);
    }

    [Fact]
    public void A_top_up_refuses_FED_another_venue_s_asset_an_unknown_one_and_a_badge()
    {
        var wallet = Wallet();
        var other = Asset(AssetKind.TLF, new VenueId("elsewhere"));
        RefillRequest Named(AssetId id) => new(Key(), Venue, Cashier, 100, PaymentMeans.Cash, id);

        Assert.Null(CounterPlanner.ForeignAsset(Profile, Named(Tnf.Id)));
        Assert.Equal(Fed.Id, CounterPlanner.ForeignAsset(Profile, Named(Fed.Id)));
        Assert.Equal(ErrorCodes.Forbidden, Assert.Throws<DomainException>(() => CounterPlanner.PlanRefill(wallet, Profile, Named(Fed.Id), Fed, null, At)).Code);
        Assert.Equal(ErrorCodes.Forbidden, Assert.Throws<DomainException>(() => CounterPlanner.PlanRefill(wallet, Profile, Named(other.Id), other, null, At)).Code);
        Assert.Equal(ErrorCodes.NotFound, Assert.Throws<DomainException>(() => CounterPlanner.PlanRefill(wallet, Profile, Named(AssetId.New()), null, null, At)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => CounterPlanner.PlanRefill(wallet, Profile, Named(Bdg.Id), null, null, At)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => CounterPlanner.CheckRefill(wallet.Id, Named(Tlf.Id) with { Means = PaymentMeans.Online }, null)).Code);
    }

    [Fact]
    public void A_refund_pays_cash_from_the_venue_euro_then_FED_never_gift_money()
    {
        var wallet = Wallet((Tnf.Id, 1_000), (Tlf.Id, 300), (AssetId.Federated, 500));

        var plan = CounterPlanner.PlanRefund(wallet, Profile, new RefundRequest(Key(), Venue, Cashier, 500), Card, At);
        var tooMuch = CounterPlanner.PlanRefund(wallet, Profile, new RefundRequest(Key(), Venue, Cashier, 900), Card, At);

        Assert.Equal([new LedgerLine(Tlf.Id, 300, wallet.Id, Tlf.MintWallet), new LedgerLine(AssetId.Federated, 200, wallet.Id, Profile.Wallet)], plan.Operation!.Lines);
        Assert.Equal((500L, 300L, 200L), (plan.Result.CashReturned, plan.Result.Burned, plan.Result.OwedToVenue));
        Assert.Equal((TransactionKind.Refund, PaymentMeans.Cash), (plan.Operation.Kind, plan.Operation.Means));
        Assert.True(tooMuch.Declined);
        Assert.Equal(DeclineReason.InsufficientFunds, tooMuch.Result.Reason);
    }

    [Fact]
    public void A_void_burns_the_venue_assets_and_sends_FED_to_the_venue()
    {
        var wallet = Wallet((Tnf.Id, 1_000), (Tlf.Id, 300), (AssetId.Federated, 500));

        var plan = CounterPlanner.PlanRefund(wallet, Profile, new RefundRequest(Key(), Venue, Cashier), Card, At);
        var empty = CounterPlanner.PlanRefund(Wallet(), Profile, new RefundRequest(Key(), Venue, Cashier), Card, At);

        Assert.Equal(TransactionKind.Void, plan.Operation!.Kind);
        Assert.Equal((800L, 1_300L, 500L), (plan.Result.CashReturned, plan.Result.Burned, plan.Result.OwedToVenue));
        Assert.Equal(Balances(), plan.Result.Balances);
        Assert.Equal(DeclineReason.NothingToRefund, empty.Result.Reason);
    }

    [Fact]
    public void A_badge_moves_zero_of_an_active_badge_asset_of_the_venue()
    {
        var wallet = Wallet();

        var plan = CounterPlanner.PlanBadge(wallet, Profile, new BadgeRequest(Key(), Venue, Bdg.Id), Card, At);

        Assert.Equal([new LedgerLine(Bdg.Id, 0, wallet.Id, Profile.Wallet)], plan.Operation!.Lines);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => CounterPlanner.PlanBadge(wallet, Profile, new BadgeRequest(Key(), Venue, Tlf.Id), Card, At)).Code);
    }
}
