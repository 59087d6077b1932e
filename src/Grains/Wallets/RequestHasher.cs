using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Wallets;

/// <summary>
/// The fingerprint of a request, stored with its idempotency key: the same key with a different fingerprint is a CONFLICT.
/// Fields are length-prefixed so that no two different requests encode alike.
/// </summary>
public sealed class RequestHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public RequestHasher(string operation) => Add(operation);

    public RequestHasher Add(string? value)
    {
        if (value is null)
        {
            _hash.AppendData([0xFF]);
            return this;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        _hash.AppendData(length);
        _hash.AppendData(bytes);
        return this;
    }

    public RequestHasher Add(long value) => Add(value.ToString(CultureInfo.InvariantCulture));

    public RequestHasher Add(long? value) => Add(value?.ToString(CultureInfo.InvariantCulture));

    public RequestHasher Add(object? value) => Add(value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    });

    public byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}
