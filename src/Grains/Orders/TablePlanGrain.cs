using TiBillet.Grains.Common;

namespace TiBillet.Grains.Orders;

/// <summary>Its rows are its state; one change at a time per venue.</summary>
public sealed class TablePlanGrain(OrderStore store) : Grain, ITablePlanGrain
{
    public const int MaxNameLength = 100;

    private VenueId Venue => VenueId.Parse(this.GetPrimaryKeyString());

    public async Task<TableDetails> SaveTableAsync(string table, string name, CancellationToken cancellationToken = default)
    {
        var id = TableIds.Parse(table);
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A table's name is 1 to {MaxNameLength} characters.");
        }

        await store.SaveTableAsync(Venue, id, name, cancellationToken);
        return (await store.TablesAsync(Venue, cancellationToken)).Single(t => t.Id == id);
    }

    public Task ArchiveTableAsync(string table, CancellationToken cancellationToken = default) =>
        store.ArchiveTableAsync(Venue, TableIds.Parse(table), cancellationToken);
}

/// <summary>Table ids: as venue ids (a-z, 0-9, '-', '_'), at most 100 characters, as the sale lines' table column takes them.</summary>
public static class TableIds
{
    public static string Parse(string? table) =>
        VenueId.TryParse(table, out var id) && id.Value.Length <= 100
            ? id.Value
            : throw new DomainException(ErrorCodes.BadUserInput, "A table id is 1 to 100 characters among a-z, 0-9, '-' and '_'.");
}
