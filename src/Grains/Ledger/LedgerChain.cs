using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The canonical encoding of one batch for its writer's hash chain. The writer and <see cref="LedgerVerifier"/> feed the
/// same fields in the same order (operations as stored, lines by position), so any edited, added or removed row changes
/// the link's hash. Version 2 (<see cref="CurrentVersion"/>) covers every stored column that history and reports read;
/// links of version 1, written before, covered fewer and are still verified the way they were written. Fields are
/// buffered and hashed once, which is much cheaper than many small hash updates.
/// </summary>
public sealed class LedgerChain : IDisposable
{
    public const int HashLength = 32;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>The previous hash of the first link of every chain.</summary>
    public static byte[] Genesis => new byte[HashLength];

    /// <summary>The version the writer writes: every stored fact of an operation and of each line.</summary>
    public const short CurrentVersion = 2;

    public LedgerChain(byte[] previousHash, Guid writerId, long height, short version = CurrentVersion)
    {
        _buffer.Write(previousHash);
        if (version != 1)
        {
            // Version 1 had no version field; later versions name theirs, so one encoding is never read as another.
            AppendInt64(version);
        }

        AppendGuid(writerId);
        AppendInt64(height);
    }

    /// <summary>The timestamp as stored and hashed: PostgreSQL keeps microseconds, so finer ticks are dropped first.</summary>
    public static DateTime StoredTime(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    /// <summary>An operation, version 2: every column of its row except where it is chained (writer, height).</summary>
    public void AppendOperation(Guid operationId, TransactionKind kind, string idempotencyKey, byte[] requestHash, byte[] result,
        string? venue, string? card, DateTime createdAt, long externalAmount, PaymentMeans externalMeans)
    {
        AppendLegacyOperation(operationId, kind, idempotencyKey, requestHash);
        AppendBytes(result);
        AppendText(venue);
        AppendText(card);
        AppendInt64(createdAt.Ticks);
        AppendInt64(externalAmount);
        AppendInt64((short)externalMeans);
    }

    /// <summary>A line, version 2: every column of its row except its generated id and where it is chained.</summary>
    public void AppendLine(int position, Guid operationId, TransactionKind kind, Guid asset, long amount, Guid from, Guid to,
        string? venue, string? card, DateTime createdAt)
    {
        AppendLegacyLine(position, asset, amount, from, to);
        AppendGuid(operationId);
        AppendInt64((short)kind);
        AppendText(venue);
        AppendText(card);
        AppendInt64(createdAt.Ticks);
    }

    /// <summary>An operation as version 1 hashed it.</summary>
    public void AppendLegacyOperation(Guid operationId, TransactionKind kind, string idempotencyKey, byte[] requestHash)
    {
        _buffer.Write("op"u8);
        AppendGuid(operationId);
        AppendInt64((short)kind);
        AppendText(idempotencyKey);
        AppendBytes(requestHash);
    }

    /// <summary>A line as version 1 hashed it.</summary>
    public void AppendLegacyLine(int position, Guid asset, long amount, Guid from, Guid to)
    {
        _buffer.Write("ln"u8);
        AppendInt64(position);
        AppendGuid(asset);
        AppendInt64(amount);
        AppendGuid(from);
        AppendGuid(to);
    }

    public byte[] Finish()
    {
        var hash = SHA256.HashData(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        return hash;
    }

    public void Dispose()
    {
        // Nothing pooled: kept disposable so callers scope it.
    }

    private void AppendText(string? value)
    {
        if (value is null)
        {
            // -1 tells a missing value from an empty one.
            AppendInt64(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        AppendInt64(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    private void AppendBytes(byte[] value)
    {
        AppendInt64(value.Length);
        _buffer.Write(value);
    }

    private void AppendGuid(Guid value)
    {
        value.TryWriteBytes(_buffer.GetSpan(16), bigEndian: true, out _);
        _buffer.Advance(16);
    }

    private void AppendInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }
}
