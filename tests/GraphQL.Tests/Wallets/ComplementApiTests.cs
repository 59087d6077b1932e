using System.Text.Json.Nodes;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Wallets;

/// <summary>A sale whose remainder, past what the card holds, is paid by a second card or at the counter, through the API.</summary>
[Collection(SiloCollection.Name)]
public sealed class ComplementApiTests(TestFieldsSiloFixture silo)
{
    private const string Pay =
        "mutation($k: String!, $v: ID!, $c: String!, $card: String!, $l: [BasketLineInput!]!, $m: PaymentMeans, $second: String) { pay(idempotencyKey: $k, venueId: $v, cashierUid: $c, cardUid: $card, lines: $l, complement: $m, complementCardUid: $second) { approved reason total paidByCard paidByComplementCard paidExternally externalMeans shortfall operationId } }";

    private Task<GraphQLResponse> PayAsync(CashlessNetwork net, string card, long total, string key, string? means, string? second = null) =>
        silo.PostAsync(Pay, new { k = key, v = net.Venue, c = net.Cashier, card, l = new[] { new { label = "Menu", quantity = 1, unitPrice = total } }, m = means, second }, net.Admin);

    private static (bool Approved, string Reason, long ByCard, long BySecond, long External, string Means, long Shortfall) Outcome(JsonNode pay) => (
        pay["approved"]!.GetValue<bool>(), pay["reason"]!.GetValue<string>(), pay["paidByCard"]!.GetValue<long>(), pay["paidByComplementCard"]!.GetValue<long>(),
        pay["paidExternally"]!.GetValue<long>(), pay["externalMeans"]!.GetValue<string>(), pay["shortfall"]!.GetValue<long>());

    [Fact]
    public async Task A_second_card_pays_what_the_first_lacks_in_one_operation()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var first = await net.FundedCardAsync(300);
        var second = await net.FundedCardAsync(1000);
        var venueBefore = await net.WalletBalancesAsync(await net.VenueWalletAsync());
        var key = CashlessNetwork.NewKey();

        var pay = (await PayAsync(net, first, 800, key, "SECOND_CARD", second)).Data()["pay"]!;
        var rows = await silo.LedgerRowsAsync();
        var replay = (await PayAsync(net, first, 800, key, "SECOND_CARD", second)).Data()["pay"]!;

        Assert.Equal((true, "NONE", 300L, 500L, 0L, "SECOND_CARD", 0L), Outcome(pay));
        Assert.Equal(pay.ToJsonString(), replay.ToJsonString());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(0, await net.TlfBalanceAsync(first));
        Assert.Equal(500, await net.TlfBalanceAsync(second));
        Assert.Equal(venueBefore.GetValueOrDefault(net.Tlf) + 800, (await net.WalletBalancesAsync(await net.VenueWalletAsync()))[net.Tlf]);
    }

    [Fact]
    public async Task A_second_card_that_cannot_cover_the_remainder_declines_the_whole_basket()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var first = await net.FundedCardAsync(300);
        var second = await net.FundedCardAsync(200);
        var rows = await silo.LedgerRowsAsync();

        var pay = (await PayAsync(net, first, 800, CashlessNetwork.NewKey(), "SECOND_CARD", second)).Data()["pay"]!;

        // All or nothing: neither card is debited for its part.
        Assert.Equal((false, "INSUFFICIENT_FUNDS", 0L, 0L, 0L, "NONE", 300L), Outcome(pay));
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(300, await net.TlfBalanceAsync(first));
        Assert.Equal(200, await net.TlfBalanceAsync(second));
    }

    [Theory]
    [InlineData("CASH")]
    [InlineData("BANK_CARD")]
    public async Task The_counter_collects_the_remainder_in_cash_or_by_bank_card(string means)
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);

        var pay = (await PayAsync(net, card, 800, CashlessNetwork.NewKey(), means)).Data()["pay"]!;

        Assert.Equal((true, "NONE", 300L, 0L, 500L, means, 0L), Outcome(pay));
        Assert.Equal(0, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task Without_a_complement_a_remainder_declines_and_moves_nothing()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var rows = await silo.LedgerRowsAsync();

        var pay = (await PayAsync(net, card, 800, CashlessNetwork.NewKey(), null)).Data()["pay"]!;

        Assert.Equal((false, "INSUFFICIENT_FUNDS", 0L, 0L, 0L, "NONE", 500L), Outcome(pay));
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(300, await net.TlfBalanceAsync(card));
    }

    [Fact]
    public async Task A_complement_that_does_not_name_another_wallets_card_is_bad_user_input()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var card = await net.FundedCardAsync(300);
        var other = await net.FundedCardAsync(1000);
        var rows = await silo.LedgerRowsAsync();

        var sameCard = await PayAsync(net, card, 800, CashlessNetwork.NewKey(), "SECOND_CARD", card);
        var unnamed = await PayAsync(net, card, 800, CashlessNetwork.NewKey(), "SECOND_CARD");
        var cashWithCard = await PayAsync(net, card, 800, CashlessNetwork.NewKey(), "CASH", other);
        var online = await PayAsync(net, card, 800, CashlessNetwork.NewKey(), "ONLINE");
        var unknownSecond = await PayAsync(net, card, 800, CashlessNetwork.NewKey(), "SECOND_CARD", CashlessNetwork.NewUid());

        Assert.Equal("BAD_USER_INPUT", sameCard.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", unnamed.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", cashWithCard.ErrorCode());
        Assert.Equal("BAD_USER_INPUT", online.ErrorCode());
        Assert.Equal("UNKNOWN_CARD", unknownSecond.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(300, await net.TlfBalanceAsync(card));
        Assert.Equal(1000, await net.TlfBalanceAsync(other));
    }
}
