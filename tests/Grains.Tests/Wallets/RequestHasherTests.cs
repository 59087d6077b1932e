using System.Security.Cryptography;
using System.Text;
using TiBillet.Grains.Common;
using TiBillet.Grains.Ledger;
using TiBillet.Grains.Wallets;

namespace TiBillet.Grains.Tests.Wallets;

/// <summary>The request fingerprint stored with every idempotency key: its encoding must never drift, or replays after an upgrade would CONFLICT.</summary>
public sealed class RequestHasherTests
{
    // The documented encoding, written out independently: each field is its UTF-8 bytes after a 4-byte big-endian length; null is one 0xFF byte.
    private static byte[] Expected(params string?[] fields)
    {
        var bytes = new List<byte>();
        foreach (var field in fields)
        {
            if (field is null)
            {
                bytes.Add(0xFF);
                continue;
            }

            var utf8 = Encoding.UTF8.GetBytes(field);
            bytes.AddRange([(byte)(utf8.Length >> 24), (byte)(utf8.Length >> 16), (byte)(utf8.Length >> 8), (byte)utf8.Length]);
            bytes.AddRange(utf8);
        }

        return SHA256.HashData(bytes.ToArray());
    }

    [Fact]
    public void Fields_are_length_prefixed_utf8_and_numbers_are_invariant_digits()
    {
        var wallet = WalletId.New();
        using var hasher = new RequestHasher("sale").Add("Bière").Add(-1234567890123L).Add((long?)null).Add((long?)42).Add(wallet).Add(PaymentMeans.Cash).Add((string?)null);
        Assert.Equal(Expected("sale", "Bière", "-1234567890123", null, "42", wallet.ToString(), "Cash", null), hasher.Finish());
    }

    [Fact]
    public void Long_requests_grow_the_buffer_and_finish_starts_again_empty()
    {
        var label = new string('é', 3_000);
        using var hasher = new RequestHasher("sale");
        for (var i = 0; i < 10; i++)
        {
            hasher.Add(label).Add(i);
        }

        var fields = new List<string?> { "sale" };
        for (var i = 0; i < 10; i++)
        {
            fields.AddRange([label, i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        Assert.Equal(Expected([.. fields]), hasher.Finish());
        Assert.Equal(Expected("x"), hasher.Add("x").Finish());
    }

    [Fact]
    public void Moving_a_boundary_between_fields_changes_the_hash()
    {
        using var one = new RequestHasher("sale").Add("ab").Add("c");
        using var two = new RequestHasher("sale").Add("a").Add("bc");
        Assert.NotEqual(one.Finish(), two.Finish());
    }
}
