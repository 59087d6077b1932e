using System.Collections.Immutable;
using TiBillet.Grains.Common;
using TiBillet.Grains.Till;

namespace TiBillet.Grains.Orders;

/// <summary>
/// One order at a table or a takeaway ticket, keyed by its id: the single writer of its lines. Every method names the
/// venue it is called for; an order of another venue, or never opened, is NOT_FOUND. A closed order refuses changes (CONFLICT).
/// </summary>
[Alias("TiBillet.Grains.Orders.IOrderGrain")]
public interface IOrderGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Opens the order at a table (one opened on the fly if the plan lacks it; CONFLICT for an archived one) or, without a
    /// table, as the venue's next takeaway ticket. Opening again for the same venue, till and table returns it as it is.
    /// </summary>
    [Alias("OpenAsync")]
    Task<Order> OpenAsync(OpenOrderRequest request, CancellationToken cancellationToken = default);

    /// <summary>The order as it is.</summary>
    [Alias("GetAsync")]
    Task<Order> GetAsync(VenueId venue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds lines priced by the till's catalog as <c>sell</c> prices them (BAD_USER_INPUT as there). With a
    /// <paramref name="key"/> already applied (one of the last 50), adds nothing and returns the order.
    /// </summary>
    [Alias("AddLinesAsync")]
    Task<Order> AddLinesAsync(VenueId venue, ImmutableArray<SellLine> lines, string? key = null, CancellationToken cancellationToken = default);

    /// <summary>Sends ordered lines (all when none named) to their categories' stations, whose feeds are told.</summary>
    [Alias("SendAsync")]
    Task<Order> SendAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default);

    /// <summary>Marks sent lines prepared (all sent lines when none named); CONFLICT for a line not sent.</summary>
    [Alias("MarkPreparedAsync")]
    Task<Order> MarkPreparedAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default);

    /// <summary>Marks lines served (all unserved lines when none named).</summary>
    [Alias("MarkServedAsync")]
    Task<Order> MarkServedAsync(VenueId venue, ImmutableArray<Guid> lines, CancellationToken cancellationToken = default);

    /// <summary>Voids unpaid lines with a reason; ALREADY_PAID for a paid line (a refund, not a void of an order).</summary>
    [Alias("VoidLinesAsync")]
    Task<Order> VoidLinesAsync(VenueId venue, ImmutableArray<Guid> lines, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pays lines or an equal share through the till's <c>sell</c> path: sale lines and the ledger record it, each row with
    /// this order and its table. The same key replays the first answer (CONFLICT with another request); a payment whose
    /// outcome is unknown (UNAVAILABLE) keeps its lines locked until retried with its key. ALREADY_PAID for a line paid.
    /// </summary>
    [Alias("PayAsync")]
    Task<OrderPaymentResult> PayAsync(PayOrderRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the whole order (no lines named) to <paramref name="table"/>, or the named unpaid lines to a new order
    /// <paramref name="newOrder"/> opened there. Returns the order now at the table. Retrying with the same new order id is safe.
    /// </summary>
    [Alias("TransferAsync")]
    Task<Order> TransferAsync(VenueId venue, string table, ImmutableArray<Guid> lines, Guid newOrder, CancellationToken cancellationToken = default);

    /// <summary>Receives lines transferred from another order, opening this one at <paramref name="table"/> if needed.</summary>
    [Alias("ReceiveAsync")]
    Task<Order> ReceiveAsync(VenueId venue, string pointOfSale, string table, ImmutableArray<OrderLine> lines, CancellationToken cancellationToken = default);
}

/// <summary>A venue's table plan (venue ADMIN), keyed by venue.</summary>
[Alias("TiBillet.Grains.Orders.ITablePlanGrain")]
public interface ITablePlanGrain : IGrainWithStringKey
{
    /// <summary>Creates or renames a fixed table (BAD_USER_INPUT for a bad id or name).</summary>
    [Alias("SaveTableAsync")]
    Task<TableDetails> SaveTableAsync(string table, string name, CancellationToken cancellationToken = default);

    /// <summary>Archives a table: NOT_FOUND if the venue never had it, CONFLICT while an order is open at it.</summary>
    [Alias("ArchiveTableAsync")]
    Task ArchiveTableAsync(string table, CancellationToken cancellationToken = default);
}
