using TiBillet.Grains.Common;

namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>
/// The point-of-sale API through the real endpoint, without readers: who may drive a till, input checks, and a tap sent
/// straight over GraphQL as the agent sends it.
/// </summary>
[Collection(TapSiloCollection.Name)]
public sealed class PointOfSaleApiTests(TapSiloFixture silo)
{
    private const string TapMutation =
        "mutation Tap($input: TapInput!) { tap(input: $input) { tapId outcome message amount balances { asset amount } } }";

    private const string DetailedTapMutation = """
        mutation Tap($input: TapInput!) {
          tap(input: $input) {
            outcome amount declineReason shortfall cardState cardUid
            balances { asset kind amount }
            transactions { kind asset amount }
          }
        }
        """;

    private static object TapInput(string uid, string? tapId = null) =>
        new { input = new { readerName = "Virtual PCD 00 00", uid, tapId = tapId ?? Guid.NewGuid().ToString() } };

    private static object PointOfSale(Till till) => new { v = till.Network.Venue, p = Till.PointOfSaleCode };

    [Fact]
    public async Task A_tap_sent_as_the_agent_sends_it_tops_up_then_shows_the_balance()
    {
        var till = await Till.CreateAsync(silo);
        var device = "Device " + till.DeviceKey;
        var customer = await till.BlankCardAsync();
        Assert.Equal("TILL_OPENED", (await silo.PostAsync(TapMutation, TapInput(till.Cashier), device)).Data()["tap"]!["outcome"]!.GetValue<string>());
        (await silo.PostAsync(
            "mutation($i: RequestTopUpInput!) { requestTopUp(input: $i) { pendingRequest { kind amount means } } }",
            new { i = new { venueId = till.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, amount = 1_500, means = "BANK_CARD" } },
            device)).Data();

        var toppedUp = (await silo.PostAsync(TapMutation, TapInput(customer), device)).Data()["tap"]!;
        var balance = (await silo.PostAsync(DetailedTapMutation, TapInput(customer), device)).Data()["tap"]!;

        Assert.Equal("TOPPED_UP", toppedUp["outcome"]!.GetValue<string>());
        Assert.Equal(1_500, toppedUp["amount"]!.GetValue<long>());
        Assert.Equal("BALANCE", balance["outcome"]!.GetValue<string>());
        var only = Assert.Single(balance["balances"]!.AsArray());
        Assert.Equal("Euro local", only!["asset"]!.GetValue<string>());
        Assert.Equal(1_500, only["amount"]!.GetValue<long>());
        Assert.Equal("TLF", only["kind"]!.GetValue<string>());
        Assert.Equal("ANONYMOUS", balance["cardState"]!.GetValue<string>());
        var refill = Assert.Single(balance["transactions"]!.AsArray());
        Assert.Equal("REFILL", refill!["kind"]!.GetValue<string>());
        Assert.Equal(1_500, refill["amount"]!.GetValue<long>());
        Assert.Equal(1_500, await till.TlfBalanceAsync(customer));
    }

    [Fact]
    public async Task A_declined_tap_says_why_and_how_much_is_missing()
    {
        var till = await Till.CreateAsync(silo);
        var device = "Device " + till.DeviceKey;
        var customer = await till.FundedCardAsync(100);
        await silo.PostAsync(TapMutation, TapInput(till.Cashier), device);
        await till.RequestPaymentAsync("Menu", 1, 1_200);

        var declined = (await silo.PostAsync(DetailedTapMutation, TapInput(customer), device)).Data()["tap"]!;

        Assert.Equal("DECLINED", declined["outcome"]!.GetValue<string>());
        Assert.Equal("INSUFFICIENT_FUNDS", declined["declineReason"]!.GetValue<string>());
        Assert.Equal(1_100, declined["shortfall"]!.GetValue<long>());
        Assert.Equal(100, Assert.Single(declined["balances"]!.AsArray())!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_retried_tap_returns_its_first_result()
    {
        var till = await Till.CreateAsync(silo);
        var device = "Device " + till.DeviceKey;
        var customer = await till.FundedCardAsync(1_000);
        await silo.PostAsync(TapMutation, TapInput(till.Cashier), device);
        await till.RequestPaymentAsync("Bière", 1, 300);
        var tap = TapInput(customer, "retried-tap");

        var first = (await silo.PostAsync(TapMutation, tap, device)).Data()["tap"]!;
        var retry = (await silo.PostAsync(TapMutation, tap, device)).Data()["tap"]!;

        Assert.Equal("APPROVED", first["outcome"]!.GetValue<string>());
        Assert.Equal(first.ToJsonString(), retry.ToJsonString());
        Assert.Equal((1, 300), await till.SalesOfCardAsync(customer));
    }

    [Fact]
    public async Task A_device_drives_only_its_own_point_of_sale()
    {
        var mine = await Till.CreateAsync(silo);
        var other = await Till.CreateAsync(silo);
        var device = "Device " + mine.DeviceKey;

        var request = await silo.PostAsync(
            "mutation($i: RequestPaymentInput!) { requestPayment(input: $i) { pointOfSaleId } }",
            new { i = new { venueId = other.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, amount = 100 } }, device);
        var read = await silo.PostAsync("query($v: ID!, $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }", PointOfSale(other), device);
        var create = await silo.PostAsync(
            "mutation($i: CreatePointOfSaleInput!) { createPointOfSale(input: $i) { name } }",
            new { i = new { venueId = mine.Network.Venue, pointOfSaleId = "kitchen", name = "Kitchen" } }, device);

        Assert.Equal(ErrorCodes.Forbidden, request.ErrorCode());
        Assert.Equal(ErrorCodes.Forbidden, read.ErrorCode());
        Assert.Equal(ErrorCodes.Forbidden, create.ErrorCode());
        Assert.Null((await other.DetailsAsync())["pendingRequest"]);
    }

    [Fact]
    public async Task Only_a_device_may_tap_and_its_input_is_checked_before_anything_runs()
    {
        var till = await Till.CreateAsync(silo);

        var asStaff = await silo.PostAsync(TapMutation, TapInput(till.Cashier), till.Network.Admin);
        var anonymous = await silo.PostAsync(TapMutation, TapInput(till.Cashier));
        var badTapId = await silo.PostAsync(TapMutation, TapInput(till.Cashier, new string('x', 101)), "Device " + till.DeviceKey);

        Assert.Equal(ErrorCodes.Forbidden, asStaff.ErrorCode());
        Assert.Equal(ErrorCodes.Unauthenticated, anonymous.ErrorCode());
        Assert.Equal("INVALID_VALUE", badTapId.ErrorCode());
        Assert.False((await till.DetailsAsync())["tillOpen"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Requests_are_checked_at_the_edge_and_by_the_point_of_sale()
    {
        var till = await Till.CreateAsync(silo);
        const string request = "mutation($i: RequestPaymentInput!) { requestPayment(input: $i) { pendingRequest { amount lines { label quantity unitPrice } } } }";

        var badId = await silo.PostAsync(request, new { i = new { venueId = "Not A Venue", pointOfSaleId = Till.PointOfSaleCode, amount = 100 } }, till.Network.Admin);
        var both = await silo.PostAsync(request,
            new { i = new { venueId = till.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, amount = 100, lines = new[] { new { label = "Eau", quantity = 1, unitPrice = 100 } } } },
            till.Network.Admin);
        var zero = await silo.PostAsync(request, new { i = new { venueId = till.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, amount = 0 } }, till.Network.Admin);
        var amount = await silo.PostAsync(request, new { i = new { venueId = till.Network.Venue, pointOfSaleId = Till.PointOfSaleCode, amount = 450 } }, till.Network.Admin);
        var unknown = await silo.PostAsync("query($v: ID!, $p: ID!) { pointOfSale(venueId: $v, pointOfSaleId: $p) { name } }",
            new { v = till.Network.Venue, p = "never-created" }, till.Network.Admin);

        Assert.Equal("INVALID_VALUE", badId.ErrorCode());
        Assert.Equal(ErrorCodes.BadUserInput, both.ErrorCode());
        Assert.Equal(ErrorCodes.BadUserInput, zero.ErrorCode());
        var pending = amount.Data()["requestPayment"]!["pendingRequest"]!;
        Assert.Equal(450, pending["amount"]!.GetValue<long>());
        Assert.Equal(450, Assert.Single(pending["lines"]!.AsArray())!["unitPrice"]!.GetValue<long>());
        Assert.Equal(ErrorCodes.NotFound, unknown.ErrorCode());
    }
}
