using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Ledger;

/// <summary>
/// The canonical encoding of one batch for its writer's hash chain. The writer and <see cref="LedgerVerifier"/> feed the
/// same fields in the same order (operations as stored, lines by position), so any edited, added or removed row changes
/// the link's hash.
/// </summary>
public sealed class LedgerChain : IDisposable
{
    public const int HashLength = 32;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _scratch = new byte[16];

    /// <summary>The previous hash of the first link of every chain.</summary>
    public static byte[] Genesis => new byte[HashLength];

    public LedgerChain(byte[] previousHash, Guid writerId, long height)
    {
        _hash.AppendData(previousHash);
        AppendGuid(writerId);
        AppendInt64(height);
    }

    public void AppendOperation(Guid operationId, TransactionKind kind, string idempotencyKey, byte[] requestHash)
    {
        _hash.AppendData("op"u8);
        AppendGuid(operationId);
        AppendInt64((short)kind);
        var key = Encoding.UTF8.GetBytes(idempotencyKey);
        AppendInt64(key.Length);
        _hash.AppendData(key);
        AppendInt64(requestHash.Length);
        _hash.AppendData(requestHash);
    }

    public void AppendLine(int position, Guid asset, long amount, Guid from, Guid to)
    {
        _hash.AppendData("ln"u8);
        AppendInt64(position);
        AppendGuid(asset);
        AppendInt64(amount);
        AppendGuid(from);
        AppendGuid(to);
    }

    public byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();

    private void AppendGuid(Guid value)
    {
        value.TryWriteBytes(_scratch, bigEndian: true, out _);
        _hash.AppendData(_scratch.AsSpan(0, 16));
    }

    private void AppendInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_scratch, value);
        _hash.AppendData(_scratch.AsSpan(0, 8));
    }
}
