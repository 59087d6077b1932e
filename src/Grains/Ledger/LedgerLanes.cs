using Npgsql;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The writer loop's two connections, kept open: one commits a batch while the other writes the next. Taking a pooled
/// connection per batch rotated the batches over dozens of backends, each with cold caches and its own page faults on
/// shared buffers; two warm backends do the same work with less CPU. Touched only by the loop.
/// </summary>
internal sealed class LedgerLanes(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlConnection?[] _lanes = new NpgsqlConnection?[2];
    private int _lane;

    /// <summary>Whether the lane last taken is still open (false after a connection died mid-batch).</summary>
    public bool CurrentIsOpen => _lanes[_lane] is { State: System.Data.ConnectionState.Open };

    /// <summary>The other lane (the one not committing), opened again if it was closed or broken.</summary>
    public async Task<NpgsqlConnection> TakeAsync()
    {
        _lane ^= 1;
        if (_lanes[_lane] is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        if (_lanes[_lane] is { } broken)
        {
            await broken.DisposeAsync();
        }

        _lanes[_lane] = null;
        var conn = await dataSource.OpenConnectionAsync();
        _lanes[_lane] = conn;
        return conn;
    }

    /// <summary>Closes both connections; only when nothing is committing.</summary>
    public async Task DropAsync()
    {
        for (var i = 0; i < _lanes.Length; i++)
        {
            if (_lanes[i] is { } conn)
            {
                _lanes[i] = null;
                await conn.DisposeAsync();
            }
        }
    }
}
