using Npgsql;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// Where this writer's hash chain stands (docs/architecture.md, money rule 6): the height and hash of its last link, and
/// whether the writer row exists. After a failure whose outcome is unknown, <see cref="Resync"/> is set and the next
/// batch re-reads the tip from the database first. Touched only by the writer loop (the flag from a commit in flight).
/// </summary>
internal sealed class LedgerWriterChain(NpgsqlDataSource dataSource, Guid writerId)
{
    private const string SelectChainTipSql =
        "SELECT height, hash FROM ledger_chain WHERE writer_id = $1 ORDER BY height DESC LIMIT 1";

    private volatile bool _resync;

    public long Height { get; private set; }

    public byte[] Tip { get; private set; } = LedgerChain.Genesis;

    /// <summary>Whether the <c>ledger_writers</c> row is known to exist (written with the first link).</summary>
    public bool Registered { get; private set; }

    /// <summary>Set when the database's tip may differ from ours; the next batch re-reads it.</summary>
    public bool Resync
    {
        get => _resync;
        set => _resync = value;
    }

    /// <summary>Moves the tip to a link written (pipelined: tentatively, rolled back with its batch if that fails).</summary>
    public void Advance(long height, byte[] hash)
    {
        Height = height;
        Tip = hash;
        Registered = true;
    }

    /// <summary>Re-reads the tip when <see cref="Resync"/> asks for it.</summary>
    public async Task EnsureCurrentAsync()
    {
        if (!_resync)
        {
            return;
        }

        // Cleared first: a commit failing while the tip is read sets it again and is not forgotten.
        _resync = false;
        await using var cmd = dataSource.CreateCommand(SelectChainTipSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = writerId });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            Advance(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
        }
        else
        {
            Height = 0;
            Tip = LedgerChain.Genesis;
        }
    }
}
