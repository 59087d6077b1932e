using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The canonical encoding of one batch for its writer's hash chain. The writer and <see cref="LedgerVerifier"/> feed the
/// same fields in the same order (operations as stored, lines by position), so any edited, added or removed row changes
/// the link's hash. Fields are buffered and hashed once, which is much cheaper than many small hash updates.
/// </summary>
public sealed class LedgerChain : IDisposable
{
    public const int HashLength = 32;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>The previous hash of the first link of every chain.</summary>
    public static byte[] Genesis => new byte[HashLength];

    public LedgerChain(byte[] previousHash, Guid writerId, long height)
    {
        _buffer.Write(previousHash);
        AppendGuid(writerId);
        AppendInt64(height);
    }

    public void AppendOperation(Guid operationId, TransactionKind kind, string idempotencyKey, byte[] requestHash)
    {
        _buffer.Write("op"u8);
        AppendGuid(operationId);
        AppendInt64((short)kind);
        var length = Encoding.UTF8.GetByteCount(idempotencyKey);
        AppendInt64(length);
        Encoding.UTF8.GetBytes(idempotencyKey, _buffer.GetSpan(length));
        _buffer.Advance(length);
        AppendInt64(requestHash.Length);
        _buffer.Write(requestHash);
    }

    public void AppendLine(int position, Guid asset, long amount, Guid from, Guid to)
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
