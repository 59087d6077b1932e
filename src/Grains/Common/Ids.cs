using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TiBillet.Grains.Common;

/// <summary>A venue's id: 1 to 100 characters of lower-case letters, digits, '-' and '_' (the same string the identity tables use).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.VenueId")]
public readonly record struct VenueId([property: Id(0)] string Value)
{
    public const int MaxLength = 100;

    /// <summary>Parses a venue id; BAD_USER_INPUT when malformed.</summary>
    public static VenueId Parse(string? value)
    {
        if (!TryParse(value, out var id))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "A venue id is 1 to 100 characters among a-z, 0-9, '-' and '_'.");
        }

        return id;
    }

    public static bool TryParse(string? value, out VenueId id)
    {
        id = default;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        id = new VenueId(value);
        return true;
    }

    public override string ToString() => Value;
}

/// <summary>An asset (currency or token) id.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.AssetId")]
public readonly record struct AssetId([property: Id(0)] Guid Value)
{
    /// <summary>The network euro. There is exactly one FED per instance, so its id is fixed.</summary>
    public static readonly AssetId Federated = new(new Guid("00000000-0000-0000-0000-00000000fed0"));

    public static AssetId New() => new(Guid.CreateVersion7());

    /// <summary>Parses an asset id; BAD_USER_INPUT when malformed.</summary>
    public static AssetId Parse(string? value) =>
        Guid.TryParse(value, out var g) && g != Guid.Empty ? new AssetId(g) : throw new DomainException(ErrorCodes.BadUserInput, "An asset id is a UUID.");

    public override string ToString() => Value.ToString();
}

/// <summary>A wallet id. Venue and mint wallets have ids derived from their venue and asset, so they never need a lookup.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.WalletId")]
public readonly record struct WalletId([property: Id(0)] Guid Value) : IComparable<WalletId>
{
    public static WalletId New() => new(Guid.CreateVersion7());

    /// <summary>The mint wallet of an asset: it issues the asset and is the only wallet that may go negative.</summary>
    public static WalletId MintOf(AssetId asset) => new(asset.Value);

    /// <summary>The venue's own wallet, credited by every sale.</summary>
    public static WalletId OfVenue(VenueId venue) => new(DerivedGuid("venue-wallet:" + venue.Value));

    /// <summary>Parses a wallet id; BAD_USER_INPUT when malformed.</summary>
    public static WalletId Parse(string? value) =>
        Guid.TryParse(value, out var g) && g != Guid.Empty ? new WalletId(g) : throw new DomainException(ErrorCodes.BadUserInput, "A wallet id is a UUID.");

    public int CompareTo(WalletId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString();

    /// <summary>A stable name-based UUID (version 8 layout over SHA-256), so derived ids need no storage.</summary>
    internal static Guid DerivedGuid(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}

/// <summary>An NFC card UID: 4 or 7 bytes, kept as upper-case hex without separators.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.CardUid")]
public readonly record struct CardUid([property: Id(0)] string Value)
{
    /// <summary>Parses "04A2B3C4D5E6F7", "04:a2:b3:…" or "04 A2 …"; BAD_USER_INPUT unless it is 4 or 7 bytes of hex.</summary>
    public static CardUid Parse(string? value) =>
        TryParse(value, out var uid) ? uid : throw new DomainException(ErrorCodes.BadUserInput, "A card UID is 4 or 7 bytes in hex.");

    public static bool TryParse(string? value, out CardUid uid)
    {
        uid = default;
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40)
        {
            return false;
        }

        Span<char> hex = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value.Trim())
        {
            if (c is ':' or ' ' or '-')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            hex[n++] = char.ToUpperInvariant(c);
        }

        if (n != 8 && n != 14)
        {
            return false;
        }

        uid = new CardUid(new string(hex[..n]));
        return true;
    }

    public override string ToString() => Value;
}

/// <summary>The 8-character number printed on a card (letters and digits, upper-case).</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.CardNumber")]
public readonly record struct CardNumber([property: Id(0)] string Value)
{
    public static CardNumber Parse(string? value) =>
        TryParse(value, out var n) ? n : throw new DomainException(ErrorCodes.BadUserInput, "A printed card number is 8 letters or digits.");

    public static bool TryParse(string? value, out CardNumber number)
    {
        number = default;
        var v = value?.Trim();
        if (v is null || v.Length != 8 || !v.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        number = new CardNumber(v.ToUpperInvariant());
        return true;
    }

    public override string ToString() => Value;
}

/// <summary>A client's idempotency key: 1 to 255 characters, compared exactly.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.IdempotencyKey")]
public readonly record struct IdempotencyKey([property: Id(0)] string Value)
{
    public const int MaxLength = 255;

    public static IdempotencyKey Parse(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.Any(char.IsControl)
            ? new IdempotencyKey(value)
            : throw new DomainException(ErrorCodes.BadUserInput, "An idempotency key is 1 to 255 printable characters.");

    /// <summary>Derives a sub-key for a step of a larger operation (stays within the length limit).</summary>
    public IdempotencyKey Derive(string step)
    {
        var candidate = Value + "#" + step;
        return candidate.Length <= MaxLength
            ? new IdempotencyKey(candidate)
            : new IdempotencyKey("h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate))) + "#" + step);
    }

    public override string ToString() => Value;
}

/// <summary>A normalised e-mail address (trimmed, lower-case). Never logged.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Common.EmailAddress")]
public readonly record struct EmailAddress([property: Id(0)] string Value)
{
    public const int MaxLength = 254;

    public static EmailAddress Parse(string? value)
    {
        var email = value?.Trim().ToLowerInvariant() ?? "";
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (email.Length > MaxLength || at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(char.IsWhiteSpace))
        {
            throw new DomainException(ErrorCodes.BadUserInput, "Not a valid e-mail address.");
        }

        return new EmailAddress(email);
    }

    public static bool TryParse(string? value, out EmailAddress email)
    {
        try
        {
            email = Parse(value);
            return true;
        }
        catch (DomainException)
        {
            email = default;
            return false;
        }
    }

    /// <summary>Deliberately hides the address so it cannot leak into logs through string formatting.</summary>
    public override string ToString() => "***";
}

/// <summary>Amount rules: integer cents, strictly positive, and sums that cannot overflow.</summary>
public static class Cents
{
    /// <summary>Rejects zero, negative or absurd amounts with BAD_USER_INPUT.</summary>
    public static long RequirePositive(long amount, string what = "amount")
    {
        if (amount <= 0)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"The {what} must be a positive number of cents.");
        }

        return amount;
    }

    /// <summary>Adds amounts, turning an overflow into BAD_USER_INPUT instead of a wrong number.</summary>
    public static long Add(long a, long b)
    {
        try
        {
            return checked(a + b);
        }
        catch (OverflowException)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The amount is too large.");
        }
    }

    /// <summary>Multiplies a unit price by a quantity, turning an overflow into BAD_USER_INPUT.</summary>
    public static long Multiply(long a, long b)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The amount is too large.");
        }
    }

    /// <summary>Formats cents for messages, e.g. 1250 → "12.50".</summary>
    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
