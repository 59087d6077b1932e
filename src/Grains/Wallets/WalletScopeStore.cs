using Npgsql;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;

namespace TiBillet.Grains.Wallets;

/// <summary>What a wallet is and which venue it belongs to, for read authorization.</summary>
/// <param name="Kind">User, card, venue or mint wallet.</param>
/// <param name="Venue">A venue wallet's venue, or the venue issuing a mint's asset; null for customer wallets and the FED mint.</param>
public sealed record WalletScope(WalletKind Kind, VenueId? Venue);

/// <summary>Reads <see cref="WalletScope"/>s from the ledger's wallet directory.</summary>
public sealed class WalletScopeStore(NpgsqlDataSource dataSource)
{
    /// <summary>The wallet's scope, or null for an unknown wallet.</summary>
    public async Task<WalletScope?> FindAsync(WalletId wallet, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT w.kind, COALESCE(w.venue_id, a.issuing_venue)
            FROM ledger_wallets w LEFT JOIN assets a ON a.asset_id = w.asset_id
            WHERE w.wallet_id = $1
            """);
        cmd.Parameters.Add(new() { Value = wallet.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new WalletScope((WalletKind)reader.GetInt16(0), reader.IsDBNull(1) ? null : VenueId.Parse(reader.GetString(1)))
            : null;
    }
}
