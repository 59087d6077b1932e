using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Common;
using TiBillet.Grains.Reservations;
using TiBillet.Grains.Wallets;
using TiBillet.GraphQL.Tests.Trust;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Events;

/// <summary>Money a reservation took goes back even when its confirmation never completed, and never out of a venue that lacks it.</summary>
[Collection(SiloCollection.Name)]
public sealed class ReservationRefundApiTests(TestFieldsSiloFixture silo)
{
    /// <summary>
    /// A payment whose answer was lost: it committed in the ledger under the reservation's payment key, but the confirmation
    /// never completed, and the hold ran out. Stood in for by the wallet payment itself, made in the silo under that key
    /// (the API scopes its clients' keys, so it cannot forge one). The expiry finds it and gives it back.
    /// </summary>
    [Fact]
    public async Task A_payment_that_lands_after_its_hold_ran_out_is_refunded_automatically()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 1, holdSeconds: 1));
        var (_, bearer, card) = await s.CustomerWithMoneyAsync(5_000);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        // Paid exactly as confirmReservation pays from the wallet, under the reservation's payment key; the event never hears of it.
        var wallet = await silo.Services.GetRequiredService<IGrainFactory>().GetWallet(new WalletId(Guid.Parse(await s.Net.WalletOfAsync(card))))
            .PayOnlineAsync(new OnlineSaleRequest(ReservationPayments.PaymentKey(Guid.Parse(rid)), new VenueId(s.Venue), [new SaleLine("Concert · Plein tarif", 1, 1_000)]),
                TestContext.Current.CancellationToken);
        Assert.True(wallet.Approved);
        Assert.Equal(4_000, await s.WalletTlfAsync(bearer));

        await WaitUntilAsync(() => silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 3 AND payment IS NOT NULL", rid));

        Assert.Equal(5_000, await s.WalletTlfAsync(bearer));
        Assert.Equal(1, await RefundsAsync(rid));
        var retried = await s.ConfirmAsync(id, rid, bearer);
        Assert.Equal("HOLD_EXPIRED", retried.ErrorCode());
        var cancelled = (await s.CancelAsync(id, rid, bearer)).Data()["cancelReservation"]!;
        Assert.Equal(("EXPIRED", true), (cancelled["state"]!.GetValue<string>(), cancelled["refunded"]!.GetValue<bool>()));
        Assert.Equal(1, await RefundsAsync(rid));
        Assert.Equal(5_000, await s.WalletTlfAsync(bearer));
    }

    [Fact]
    public async Task An_expired_hold_that_was_never_paid_refunds_nothing()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 1, holdSeconds: 1));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(5_000);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);

        await WaitUntilAsync(() => silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 3", rid));

        Assert.Equal("HOLD_EXPIRED", (await s.ConfirmAsync(id, rid, bearer)).ErrorCode());
        Assert.Equal(0, await RefundsAsync(rid));
        Assert.False((await s.CancelAsync(id, rid, bearer)).Data()["cancelReservation"]!["refunded"]!.GetValue<bool>());
    }

    /// <summary>
    /// The venue paid the takings out before a customer cancelled: the refund would overdraw the venue's wallet, which the
    /// ledger never allows. Refused with its own code, nothing written, the reservation still confirmed; once the venue is
    /// funded again, the same cancellation goes through.
    /// </summary>
    [Fact]
    public async Task Cancelling_when_the_venue_wallet_lacks_the_money_is_refused_and_writes_nothing()
    {
        var s = await EventScenario.CreateAsync(silo);
        var id = await s.PublishedAsync(s.Input(capacity: 5));
        var (_, bearer, _) = await s.CustomerWithMoneyAsync(3_000);
        var rid = EventScenario.Id((await s.ReserveAsync(id, bearer)).Data()["reserve"]!);
        (await s.ConfirmAsync(id, rid, bearer)).Data();
        var venueWallet = await s.Net.VenueWalletAsync();
        // Nothing in the API pays a venue's takings out yet: a refund of 6.00 to another card, made in the silo through the
        // wallets, stands in for a payout, leaving 4.00 of the 10.00 the reservation paid.
        var other = await s.Net.FundedCardAsync(600);
        var payout = await silo.Services.GetRequiredService<IGrainFactory>().GetWallet(new WalletId(Guid.Parse(await s.Net.WalletOfAsync(other))))
            .TakeBackSaleAsync(new SaleReturnRequest(new IdempotencyKey(CashlessNetwork.NewKey()), new VenueId(s.Venue),
                [new AssetMovement(new AssetId(Guid.Parse(s.Net.Tlf)), 600, new WalletId(Guid.Parse(await s.Net.WalletOfAsync(other))), new WalletId(Guid.Parse(venueWallet)))]),
                TestContext.Current.CancellationToken);
        Assert.True(payout.Approved);
        var rows = await silo.LedgerRowsAsync();

        var refused = await s.CancelAsync(id, rid, bearer);

        Assert.Equal("VENUE_INSUFFICIENT_FUNDS", refused.ErrorCode());
        Assert.Equal(rows, await silo.LedgerRowsAsync());
        Assert.Equal(1, await silo.ScalarAsync("SELECT count(*) FROM reservations WHERE reservation_id = $1::uuid AND state = 1", rid));
        Assert.Equal(2_000, await s.WalletTlfAsync(bearer));
        Assert.Equal(400, (await s.Net.WalletBalancesAsync(venueWallet)).GetValueOrDefault(s.Net.Tlf));

        Assert.True((await s.Net.PayAsync(other, 600, 1, CashlessNetwork.NewKey())).Data()["pay"]!["approved"]!.GetValue<bool>());
        var cancelled = (await s.CancelAsync(id, rid, bearer)).Data()["cancelReservation"]!;

        Assert.Equal(("CANCELLED", true), (cancelled["state"]!.GetValue<string>(), cancelled["refunded"]!.GetValue<bool>()));
        Assert.Equal(3_000, await s.WalletTlfAsync(bearer));
        Assert.Equal(0, (await s.Net.WalletBalancesAsync(venueWallet)).GetValueOrDefault(s.Net.Tlf));
    }

    private Task<long> RefundsAsync(string reservation) =>
        silo.ScalarAsync("SELECT count(*) FROM ledger_operations WHERE idempotency_key = $1", ReservationPayments.RefundKey(Guid.Parse(reservation)).Value);

    private static async Task WaitUntilAsync(Func<Task<long>> count)
    {
        // Holds are scanned every second; the reservation's row is the event to wait on.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await count() != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the reservation's row.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
