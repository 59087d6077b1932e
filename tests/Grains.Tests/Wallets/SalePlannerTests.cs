using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;
using static TiBillet.Grains.Tests.Wallets.PlannerFacts;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>What a sale takes from which wallet, decided without a cluster.</summary>
public sealed class SalePlannerTests
{
    [Fact]
    public void A_sale_cascades_over_the_spending_order_into_the_venue_wallet()
    {
        var payer = Wallet((Tnf.Id, 300), (Tlf.Id, 500), (AssetId.Federated, 1_000));
        var sale = Sale(1_200);

        var plan = SalePlanner.PlanOneCard(payer, Profile, sale, Card, SalePlanner.Total(sale), At);

        Assert.False(plan.Declined);
        var operation = plan.Operation!;
        Assert.Equal(TransactionKind.Sale, operation.Kind);
        Assert.Equal(
            [new LedgerLine(Tnf.Id, 300, payer.Id, Profile.Wallet), new LedgerLine(Tlf.Id, 500, payer.Id, Profile.Wallet), new LedgerLine(AssetId.Federated, 400, payer.Id, Profile.Wallet)],
            operation.Lines);
        Assert.Equal((Venue, Card), (operation.Venue!.Value, operation.Card!.Value));
        Assert.Equal((1_200, 1_200, 0L), (plan.Result.Total, plan.Result.PaidByCard, plan.Result.Shortfall));
        Assert.Equal(Balances((AssetId.Federated, 600)), plan.Result.Balances);
        Assert.Equal(operation.OperationId, plan.Result.OperationId);
    }

    [Fact]
    public void A_short_card_declines_with_the_shortfall_and_writes_nothing()
    {
        var payer = Wallet((Tlf.Id, 500));

        var plan = SalePlanner.PlanOneCard(payer, Profile, Sale(800), Card, 800, At);

        Assert.True(plan.Declined);
        Assert.Null(plan.Operation);
        Assert.Equal((DeclineReason.InsufficientFunds, 300L), (plan.Result.Reason, plan.Result.Shortfall));
        Assert.Equal(Balances((Tlf.Id, 500)), plan.Result.Balances);
    }

    [Fact]
    public void Cash_pays_the_remainder_only_when_the_card_paid_something()
    {
        var plan = SalePlanner.PlanOneCard(Wallet((Tlf.Id, 500)), Profile, Sale(800, PaymentMeans.Cash), Card, 800, At);
        var empty = SalePlanner.PlanOneCard(Wallet(), Profile, Sale(800, PaymentMeans.Cash), Card, 800, At);

        Assert.Equal((500L, 300L, PaymentMeans.Cash), (plan.Result.PaidByCard, plan.Result.PaidExternally, plan.Result.ExternalMeans));
        Assert.Equal((300L, PaymentMeans.Cash), (plan.Operation!.External, plan.Operation.Means));
        Assert.True(empty.Declined);
    }

    [Fact]
    public void Two_cards_pay_the_first_card_first_and_the_second_the_remainder()
    {
        var (primary, complement) = (Wallet((Tlf.Id, 100)), Wallet((Tlf.Id, 500)));

        var plan = SalePlanner.PlanTwoCards(primary, complement, Profile, Sale(400, PaymentMeans.SecondCard, Cashier), Card, 400, At);
        var short_ = SalePlanner.PlanTwoCards(primary, complement, Profile, Sale(700, PaymentMeans.SecondCard, Cashier), Card, 700, At);

        Assert.Equal((100L, 300L, PaymentMeans.SecondCard), (plan.Result.PaidByCard, plan.Result.PaidByComplementCard, plan.Result.ExternalMeans));
        Assert.Equal([new LedgerLine(Tlf.Id, 100, primary.Id, Profile.Wallet), new LedgerLine(Tlf.Id, 300, complement.Id, Profile.Wallet)], plan.Operation!.Lines);
        Assert.Equal(Balances(), plan.Result.Balances);
        Assert.True(short_.Declined);
        Assert.Equal(100, short_.Result.Shortfall);
    }

    [Fact]
    public void A_complement_is_cash_bank_card_or_a_named_second_card()
    {
        Assert.Equal(350, SalePlanner.Total(Sale(350, PaymentMeans.BankCard)));
        foreach (var sale in new[] { Sale(100, PaymentMeans.SecondCard), Sale(100, PaymentMeans.None, Card), Sale(100, PaymentMeans.Online), Sale(100, (PaymentMeans)99) })
        {
            Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => SalePlanner.Total(sale)).Code);
        }
    }

    [Fact]
    public void The_hash_follows_the_request_as_sent_and_its_cards()
    {
        var sale = Sale(100);

        Assert.Equal(SalePlanner.Hash(sale, Card, null), SalePlanner.Hash(sale with { }, Card, null));
        Assert.NotEqual(SalePlanner.Hash(sale, Card, null), SalePlanner.Hash(sale, Cashier, null));
        Assert.NotEqual(SalePlanner.Hash(sale, Card, null), SalePlanner.Hash(sale with { Lines = [new SaleLine("Bière", 1, 101)] }, Card, null));
    }
}
