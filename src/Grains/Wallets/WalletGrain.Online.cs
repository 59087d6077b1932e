namespace TiBillet.Grains.Wallets;

// Online sales (tickets paid from the customer's wallet) and their refunds: the same single writer, idempotency and
// commit path as a counter sale, without a cashier card.
public sealed partial class WalletGrain
{
    public Task<PaymentResult> PayOnlineAsync(OnlineSaleRequest request, CancellationToken cancellationToken = default)
    {
        var total = Basket.Total(request.Lines);
        var hash = OnlineSalePlanner.SaleHash(_id, request);
        return RunAsync(request.Key, hash, async () =>
        {
            var profile = await venues.GetAsync(request.Venue, cancellationToken);
            return OnlineSalePlanner.PlanSale(View, _kind, profile, request, total, DateTimeOffset.UtcNow);
        }, cancellationToken);
    }

    public Task<MovementResult> TakeBackSaleAsync(SaleReturnRequest request, CancellationToken cancellationToken = default)
    {
        var hash = OnlineSalePlanner.CheckReturn(_id, request);
        return RunAsync(request.Key, hash, () => Task.FromResult(OnlineSalePlanner.PlanReturn(View, request, DateTimeOffset.UtcNow)), cancellationToken);
    }
}
