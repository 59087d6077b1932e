using TiBillet.Grains.Assets;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;
using static TiBillet.Grains.Tests.Wallets.PlannerFacts;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>Transfers, fusions, time grants, issues and corrections, decided without a cluster.</summary>
public sealed class AdminPlannerTests
{
    [Fact]
    public void A_transfer_moves_one_asset_or_declines_when_short()
    {
        var wallet = Wallet((Tlf.Id, 500));
        var to = WalletId.New();

        var plan = AdminPlanner.PlanTransfer(wallet, new TransferRequest(Key(), to, Tlf.Id, 200), WalletKind.User, true, At);
        var tooMuch = AdminPlanner.PlanTransfer(wallet, new TransferRequest(Key(), to, Tlf.Id, 600), WalletKind.User, true, At);

        Assert.Equal([new LedgerLine(Tlf.Id, 200, wallet.Id, to)], plan.Operation!.Lines);
        Assert.True(tooMuch.Declined);
        Assert.Equal(ErrorCodes.NotFound, Assert.Throws<DomainException>(() => AdminPlanner.PlanTransfer(wallet, new TransferRequest(Key(), to, Tlf.Id, 1), null, true, At)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => AdminPlanner.PlanTransfer(wallet, new TransferRequest(Key(), to, Tlf.Id, 1), WalletKind.Mint, true, At)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => AdminPlanner.CheckTransfer(wallet.Id, new TransferRequest(Key(), wallet.Id, Tlf.Id, 1))).Code);
    }

    [Fact]
    public void A_fusion_moves_every_positive_balance_and_an_empty_wallet_writes_nothing()
    {
        var wallet = Wallet((Tlf.Id, 500), (Tnf.Id, 200));
        var user = WalletId.New();

        var plan = AdminPlanner.PlanFusion(wallet, new FusionRequest(Key(), user, Card), At);
        var empty = AdminPlanner.PlanFusion(Wallet(), new FusionRequest(Key(), user, Card), At);

        Assert.Equal(2, plan.Operation!.Lines.Length);
        Assert.All(plan.Operation.Lines, l => Assert.Equal((wallet.Id, user), (l.From, l.To)));
        Assert.Equal(700, plan.Operation.Lines.Sum(l => l.Amount));
        Assert.Equal((true, false), (empty.Result.Approved, empty.Declined));
        Assert.Null(empty.Operation);
    }

    [Fact]
    public void Time_is_granted_only_in_TIM_by_its_issuing_venue()
    {
        var tim = Asset(AssetKind.TIM, Venue);
        var wallet = Wallet();

        var plan = AdminPlanner.PlanTimeGrant(wallet, new TimeGrantRequest(Key(), Venue, tim.Id, 60), tim, At);

        Assert.Equal([new LedgerLine(tim.Id, 60, tim.MintWallet, wallet.Id)], plan.Operation!.Lines);
        Assert.Equal(ErrorCodes.Forbidden, Assert.Throws<DomainException>(() => AdminPlanner.PlanTimeGrant(wallet, new TimeGrantRequest(Key(), new VenueId("elsewhere"), tim.Id, 60), tim, At)).Code);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => AdminPlanner.PlanTimeGrant(wallet, new TimeGrantRequest(Key(), Venue, Tlf.Id, 60), Tlf, At)).Code);
    }

    [Fact]
    public void An_issue_records_its_means_and_refuses_an_archived_asset()
    {
        var wallet = Wallet();

        var plan = AdminPlanner.PlanIssue(wallet, new IssueRequest(Key(), AssetId.Federated, 1_000), Fed, At);
        var archived = Asset(AssetKind.TLF, Venue, archived: true);

        Assert.Equal((TransactionKind.Creation, 1_000L, PaymentMeans.Online), (plan.Operation!.Kind, plan.Operation.External, plan.Operation.Means));
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<DomainException>(() => AdminPlanner.PlanIssue(wallet, new IssueRequest(Key(), archived.Id, 1), archived, At)).Code);
        Assert.Equal(ErrorCodes.NotFound, Assert.Throws<DomainException>(() => AdminPlanner.PlanIssue(wallet, new IssueRequest(Key(), AssetId.New(), 1), null, At)).Code);
    }

    [Fact]
    public void A_correction_needs_a_reason_and_a_debit_never_makes_the_wallet_negative()
    {
        var wallet = Wallet((Tlf.Id, 100));

        var credit = AdminPlanner.PlanCorrection(wallet, new CorrectionRequest(Key(), Tlf.Id, 50, true, "typo"), Tlf, At);
        var debit = AdminPlanner.PlanCorrection(wallet, new CorrectionRequest(Key(), Tlf.Id, 100, false, "typo"), Tlf, At);
        var tooMuch = AdminPlanner.PlanCorrection(wallet, new CorrectionRequest(Key(), Tlf.Id, 101, false, "typo"), Tlf, At);

        Assert.Equal([new LedgerLine(Tlf.Id, 50, Tlf.MintWallet, wallet.Id)], credit.Operation!.Lines);
        Assert.Equal([new LedgerLine(Tlf.Id, 100, wallet.Id, Tlf.MintWallet)], debit.Operation!.Lines);
        Assert.True(tooMuch.Declined);
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<DomainException>(() => AdminPlanner.CheckCorrection(wallet.Id, new CorrectionRequest(Key(), Tlf.Id, 1, true, "  "))).Code);
    }
}
