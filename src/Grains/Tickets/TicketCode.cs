using System.Text;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Tickets;

/// <summary>
/// What a ticket's code says: which ticket, of which event, at which venue. The compact form is
/// <c>base64url(payload) "." base64url(signature)</c>; the payload is a version byte, the ticket and event ids (16 bytes
/// each) and the venue id in UTF-8, and the signature is the venue's ECDSA P-256 signature of the payload (IEEE P1363,
/// 64 bytes). Only characters safe in a URL path, so a code is also its QR image's address.
/// </summary>
public sealed record TicketCode(Guid Ticket, Guid Event, VenueId Venue)
{
    private const byte Version = 1;

    /// <summary>The bytes the venue signs.</summary>
    public byte[] Payload()
    {
        var venue = Encoding.UTF8.GetBytes(Venue.Value);
        var payload = new byte[33 + venue.Length];
        payload[0] = Version;
        Ticket.TryWriteBytes(payload.AsSpan(1, 16), bigEndian: true, out _);
        Event.TryWriteBytes(payload.AsSpan(17, 16), bigEndian: true, out _);
        venue.CopyTo(payload, 33);
        return payload;
    }

    /// <summary>The compact code of this payload and its signature.</summary>
    public string Format(byte[] signature) => Base64Url(Payload()) + "." + Base64Url(signature);

    /// <summary>Splits a compact code into what it claims and its signature; null when it is not one (a forgery or noise).</summary>
    public static (TicketCode Code, byte[] Payload, byte[] Signature)? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 512)
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryBase64Url(text[..dot], out var payload) || !TryBase64Url(text[(dot + 1)..], out var signature)
            || payload.Length < 34 || payload[0] != Version || signature.Length != 64)
        {
            return null;
        }

        string venue;
        try
        {
            venue = new UTF8Encoding(false, true).GetString(payload, 33, payload.Length - 33);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var code = new TicketCode(new Guid(payload.AsSpan(1, 16), bigEndian: true), new Guid(payload.AsSpan(17, 16), bigEndian: true), new VenueId(venue));
        return (code, payload, signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
