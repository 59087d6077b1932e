using System.Collections.Immutable;
using TiBillet.Grains.Cards;
using TiBillet.Grains.Common;
using TiBillet.Grains.Tests.Support;
using TiBillet.Testing;

namespace TiBillet.Grains.Tests.Cards;

[Collection(ClusterCollection.Name)]
public sealed class CardRegistryTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NewCard Fresh() => new(TestNetwork.NewUid().Value, TestNetwork.NewNumber().Value, "qr-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_batch_registers_blank_cards_with_their_own_wallets()
    {
        var cards = Enumerable.Range(0, 5).Select(_ => Fresh()).ToImmutableArray();

        var report = await fixture.Grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest("batch-1", cards), Ct);

        Assert.Equal(new CardImportReport(5, 5, 0, []).Registered, report.Registered);
        Assert.Empty(report.Errors);
        var details = await fixture.Grains.GetCard(new CardUid(cards[0].Uid)).GetDetailsAsync(Ct);
        Assert.Equal(CardState.Blank, details.State);
        Assert.Equal("batch-1", details.Batch);
        Assert.NotNull(details.Wallet);
        Assert.Empty(details.CashierAt);
    }

    [Fact]
    public async Task Bad_lines_never_block_good_ones_and_a_reimport_changes_nothing()
    {
        var good = Fresh();
        var existing = Fresh();
        await fixture.Grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest(null, [existing]), Ct);
        var csv = string.Join("\n",
            "uid,number,qr_id",
            $"{good.Uid},{good.Number},{good.QrId}",
            $"04A2B3,{TestNetwork.NewNumber().Value},qr-x",
            $"{TestNetwork.NewUid().Value},SHORT,qr-y",
            $"{existing.Uid},{existing.Number},{existing.QrId}",
            $"{TestNetwork.NewUid().Value},{existing.Number},qr-z",
            $"{good.Uid},{good.Number},{good.QrId}",
            "just-one-field");

        var report = await fixture.Grains.GetCardRegistry().ImportCsvAsync(csv, "csv", Ct);

        Assert.Equal(7, report.Received);
        Assert.Equal(1, report.Registered);
        Assert.Equal(2, report.AlreadyRegistered);
        Assert.Equal([3, 4, 6, 8], report.Errors.Select(e => e.Line));
        Assert.Equal([ErrorCodes.BadUserInput, ErrorCodes.BadUserInput, ErrorCodes.Conflict, ErrorCodes.BadUserInput], report.Errors.Select(e => e.Code));

        var again = await fixture.Grains.GetCardRegistry().ImportCsvAsync(csv, "csv", Ct);
        Assert.Equal(0, again.Registered);
        Assert.Equal(3, again.AlreadyRegistered);
        Assert.Equal(report.Errors.Select(e => e.Line), again.Errors.Select(e => e.Line));
    }

    [Fact]
    public async Task Cards_are_found_by_uid_number_or_qr_and_unknown_ones_are_UNKNOWN_CARD()
    {
        var card = Fresh();
        await fixture.Grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest(null, [card]), Ct);
        var store = new CardStore(fixture.Database.DataSource);

        Assert.Equal(card.Uid, (await store.FindByNumberAsync(CardNumber.Parse(card.Number.ToLowerInvariant()), Ct))!.Uid.Value);
        Assert.Equal(card.Uid, (await store.FindByQrAsync(card.QrId, Ct))!.Uid.Value);
        Assert.Equal(card.Number, (await store.FindByUidAsync(CardUid.Parse(card.Uid.ToLowerInvariant()), Ct))!.Number.Value);
        Assert.Null(await store.FindByNumberAsync(TestNetwork.NewNumber(), Ct));
        await DomainAssert.ThrowsAsync(ErrorCodes.UnknownCard, () => fixture.Grains.GetCard(TestNetwork.NewUid()).GetDetailsAsync(Ct));
    }

    [Fact]
    public async Task A_card_grain_activated_before_registration_sees_the_card_afterwards()
    {
        var card = Fresh();
        var grain = fixture.Grains.GetCard(new CardUid(card.Uid));
        await DomainAssert.ThrowsAsync(ErrorCodes.UnknownCard, () => grain.GetDetailsAsync(Ct));
        await fixture.Grains.GetCardRegistry().RegisterAsync(new RegisterCardsRequest(null, [card]), Ct);
        Assert.Equal(card.QrId, (await grain.GetDetailsAsync(Ct)).QrId);
    }
}
