using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Tickets;

/// <summary>A venue's public ticket key, published so door apps can check codes offline.</summary>
[GenerateSerializer, Immutable, Alias("TiBillet.Grains.Tickets.VenueTicketKey")]
public sealed record VenueTicketKey([property: Id(0)] VenueId Venue, [property: Id(1)] string KeyId, [property: Id(2)] byte[] PublicKey)
{
    /// <summary>The public key as PEM (SubjectPublicKeyInfo), the form most verifiers read.</summary>
    public string Pem => PemEncoding.WriteString("PUBLIC KEY", PublicKey);
}

/// <summary>
/// Signs and checks ticket codes with one ECDSA P-256 key per venue, made on the venue's first ticket and kept in the
/// <c>venue_ticket_keys</c> table (the private half never leaves the database and this process). Keys are cached per
/// silo: they never change once made.
/// </summary>
public sealed class TicketKeys(NpgsqlDataSource dataSource) : IDisposable
{
    private readonly ConcurrentDictionary<VenueId, Task<ECDsa>> _signers = new();
    private readonly ConcurrentDictionary<VenueId, ECDsa> _verifiers = new();

    /// <summary>Signs a ticket of <see cref="TicketCode.Venue"/> and returns its compact code.</summary>
    public async Task<string> SignAsync(TicketCode code, CancellationToken cancellationToken = default)
    {
        var key = await _signers.GetOrAdd(code.Venue, v => LoadOrCreateAsync(v, CancellationToken.None));
        return code.Format(key.SignData(code.Payload(), HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// The ticket a code names, if its signature is its venue's. TICKET_FORGED when it does not parse, names a venue without
    /// a key, or fails the signature check.
    /// </summary>
    public async Task<TicketCode> VerifyAsync(string? text, CancellationToken cancellationToken = default)
    {
        if (TicketCode.TryParse(text) is not var (code, payload, signature))
        {
            throw new DomainException(ErrorCodes.TicketForged, "This is not a ticket code.");
        }

        if (!_verifiers.TryGetValue(code.Venue, out var verifier))
        {
            var key = await FindAsync(code.Venue, cancellationToken) ?? throw new DomainException(ErrorCodes.TicketForged, "This ticket's signature is not valid.");
            verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
            verifier = _verifiers.GetOrAdd(code.Venue, verifier);
        }

        if (!verifier.VerifyData(payload, signature, HashAlgorithmName.SHA256))
        {
            throw new DomainException(ErrorCodes.TicketForged, "This ticket's signature is not valid.");
        }

        return code;
    }

    /// <summary>The venue's public key, made now if the venue has none yet.</summary>
    public async Task<VenueTicketKey> PublicKeyAsync(VenueId venue, CancellationToken cancellationToken = default)
    {
        await _signers.GetOrAdd(venue, v => LoadOrCreateAsync(v, CancellationToken.None));
        return (await FindAsync(venue, cancellationToken))!;
    }

    private async Task<VenueTicketKey?> FindAsync(VenueId venue, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT key_id, public_key FROM venue_ticket_keys WHERE venue_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? new VenueTicketKey(venue, r.GetString(0), r.GetFieldValue<byte[]>(1)) : null;
    }

    private async Task<ECDsa> LoadOrCreateAsync(VenueId venue, CancellationToken cancellationToken)
    {
        try
        {
            // Two silos may make a key at once: the first insert wins and both then read the stored one.
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await using (var insert = dataSource.CreateCommand(
                             "INSERT INTO venue_ticket_keys (venue_id, key_id, private_key, public_key) VALUES ($1, $2, $3, $4) ON CONFLICT (venue_id) DO NOTHING"))
            {
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value + ":" + Guid.NewGuid().ToString("N")[..8] });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = fresh.ExportPkcs8PrivateKey() });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = fresh.ExportSubjectPublicKeyInfo() });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var select = dataSource.CreateCommand("SELECT private_key FROM venue_ticket_keys WHERE venue_id = $1");
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = venue.Value });
            var pkcs8 = (byte[])(await select.ExecuteScalarAsync(cancellationToken))!;
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        catch
        {
            // A failed load must not stay cached: the next ticket tries again.
            _signers.TryRemove(venue, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var v in _verifiers.Values)
        {
            v.Dispose();
        }

        foreach (var s in _signers.Values.Where(t => t.IsCompletedSuccessfully))
        {
            s.Result.Dispose();
        }
    }
}
