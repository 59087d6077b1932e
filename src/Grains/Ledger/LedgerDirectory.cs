using Npgsql;
using TiBillet.Grains.Assets;
using TiBillet.Grains.Venues;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// Registers the wallets that configuration grains create (mint and venue wallets) and keeps the SQL read models of
/// venues and assets for lists and reports. Every write is an idempotent upsert, so a grain may retry it freely.
/// </summary>
public sealed class LedgerDirectory(NpgsqlDataSource dataSource)
{
    public async Task RegisterAssetAsync(AssetDetails asset, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO assets (asset_id, kind, name, issuing_venue, archived, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (asset_id) DO UPDATE SET name = excluded.name, archived = excluded.archived
            """)
        {
            Parameters =
            {
                new() { Value = asset.Id.Value }, new() { Value = asset.Kind.ToString() }, new() { Value = asset.Name },
                new() { Value = (object?)asset.IssuingVenue?.Value ?? DBNull.Value }, new() { Value = asset.Archived }, new() { Value = asset.CreatedAt },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO ledger_wallets (wallet_id, kind, asset_id) VALUES ($1, 3, $1) ON CONFLICT DO NOTHING")
        {
            Parameters = { new() { Value = asset.MintWallet.Value } },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RegisterVenueAsync(VenueDetails venue, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "INSERT INTO venues (venue_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (venue_id) DO UPDATE SET name = excluded.name")
        {
            Parameters = { new() { Value = venue.Id.Value }, new() { Value = venue.Name }, new() { Value = venue.CreatedAt } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO ledger_wallets (wallet_id, kind, venue_id) VALUES ($1, 2, $2) ON CONFLICT DO NOTHING")
        {
            Parameters = { new() { Value = venue.Wallet.Value }, new() { Value = venue.Id.Value } },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
