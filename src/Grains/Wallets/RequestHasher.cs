using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The fingerprint of a request, stored with its idempotency key: the same key with a different fingerprint is a CONFLICT.
/// Fields are length-prefixed so that no two different requests encode alike. The encoding is gathered in a pooled
/// buffer and hashed once: one native call per request instead of two per field (this runs on every sale).
/// </summary>
public sealed class RequestHasher : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(256);
    private int _length;

    public RequestHasher(string operation) => Add(operation);

    public RequestHasher Add(string? value)
    {
        if (value is null)
        {
            Reserve(1)[0] = 0xFF;
            _length++;
            return this;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        var span = Reserve(4 + count);
        BinaryPrimitives.WriteInt32BigEndian(span, count);
        Encoding.UTF8.GetBytes(value, span[4..]);
        _length += 4 + count;
        return this;
    }

    public RequestHasher Add(long value)
    {
        // Invariant digits are ASCII: formatted straight to UTF-8, as Add(value.ToString(InvariantCulture)) would encode them.
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        var span = Reserve(4 + count);
        BinaryPrimitives.WriteInt32BigEndian(span, count);
        digits[..count].CopyTo(span[4..]);
        _length += 4 + count;
        return this;
    }

    public RequestHasher Add(long? value) => value is { } v ? Add(v) : Add((string?)null);

    public RequestHasher Add(object? value) => Add(value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    });

    /// <summary>The SHA-256 of everything added; the hasher starts empty again.</summary>
    public byte[] Finish()
    {
        var hash = SHA256.HashData(_buffer.AsSpan(0, _length));
        _length = 0;
        return hash;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Span<byte> Reserve(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_length + count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_length, count);
    }
}
