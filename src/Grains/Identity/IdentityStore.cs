using System.Security.Cryptography;
using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Identity;

/// <summary>
/// Staff accounts, venue roles, device keys and partner keys, kept in PostgreSQL. The one place that decides
/// whether a credential is valid and what role someone holds at a venue. Revocations take effect on the next request:
/// nothing here is cached.
/// </summary>
public sealed class IdentityStore(NpgsqlDataSource dataSource)
{
    private const int MaxNameLength = 200;

    /// <summary>A named random instance secret (such as the JWT signing key), created on first use.</summary>
    public async Task<byte[]> GetOrCreateInstanceSecretAsync(string name, int length, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH created AS (
                INSERT INTO instance_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING secret)
            SELECT secret FROM created UNION ALL SELECT secret FROM instance_secrets WHERE name = $1 LIMIT 1
            """);
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(length) });
        return (byte[])(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Creates the instance admin if the instance has none. Returns the login secret when one was created
    /// (<paramref name="secret"/>, or a random one), or null when an admin already exists.
    /// </summary>
    public async Task<string?> EnsureInstanceAdminAsync(string email, string? secret, CancellationToken cancellationToken = default)
    {
        await using var exists = dataSource.CreateCommand("SELECT 1 FROM staff_users WHERE is_instance_admin LIMIT 1");
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return null;
        }

        var chosen = string.IsNullOrWhiteSpace(secret) ? SecretHasher.NewKey() : secret;
        await CreateUserAsync(email, chosen, isInstanceAdmin: true, cancellationToken);
        return chosen;
    }

    /// <summary>Creates a staff account. BAD_USER_INPUT for a malformed e-mail or short secret; CONFLICT if the e-mail exists.</summary>
    public async Task<StaffUser> CreateUserAsync(string email, string secret, bool isInstanceAdmin, CancellationToken cancellationToken = default)
    {
        email = EmailAddress.Parse(email).Value;
        if (secret.Length < 12 || secret.Length > 512)
        {
            throw new DomainException(ErrorCodes.BadUserInput, "The login secret must be 12 to 512 characters long.");
        }

        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO staff_users (user_id, email, secret_hash, is_instance_admin) VALUES ($1, $2, $3, $4)
            ON CONFLICT (email) DO NOTHING
            RETURNING created_at
            """);
        var id = Guid.CreateVersion7();
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = email });
        cmd.Parameters.Add(new() { Value = SecretHasher.HashSecret(secret) });
        cmd.Parameters.Add(new() { Value = isInstanceAdmin });
        if (await cmd.ExecuteScalarAsync(cancellationToken) is not DateTime created)
        {
            throw new DomainException(ErrorCodes.Conflict, "A user with this e-mail already exists.");
        }

        return new StaffUser(id, email, isInstanceAdmin, new DateTimeOffset(created, TimeSpan.Zero));
    }

    /// <summary>The user whose e-mail and secret match, or null. Takes the same time whether or not the e-mail exists.</summary>
    public async Task<StaffUser?> VerifyLoginAsync(string email, string secret, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT user_id, email, is_instance_admin, created_at, secret_hash FROM staff_users WHERE email = $1");
        cmd.Parameters.Add(new() { Value = email.Trim().ToLowerInvariant() });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Spend the same work as a real check so response time does not reveal which e-mails exist.
            SecretHasher.VerifySecret(secret, DummyHash.Value);
            return null;
        }

        var user = ReadUser(reader);
        return SecretHasher.VerifySecret(secret, reader.GetString(4)) ? user : null;
    }

    private static readonly Lazy<string> DummyHash = new(() => SecretHasher.HashSecret("not-a-real-secret"));

    /// <summary>The user, or null.</summary>
    public async Task<StaffUser?> FindUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT user_id, email, is_instance_admin, created_at FROM staff_users WHERE user_id = $1");
        cmd.Parameters.Add(new() { Value = userId });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    /// <summary>Gives <paramref name="userId"/> <paramref name="role"/> at a venue, replacing any earlier role there. NOT_FOUND for an unknown user.</summary>
    public async Task GrantVenueRoleAsync(Guid userId, string venueId, VenueRole role, CancellationToken cancellationToken = default)
    {
        venueId = VenueId.Parse(venueId).Value;
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO venue_roles (user_id, venue_id, role)
            SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM staff_users WHERE user_id = $1)
            ON CONFLICT (user_id, venue_id) DO UPDATE SET role = EXCLUDED.role, granted_at = now()
            """);
        cmd.Parameters.Add(new() { Value = userId });
        cmd.Parameters.Add(new() { Value = venueId });
        cmd.Parameters.Add(new() { Value = role.ToString().ToUpperInvariant() });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "No such user.");
        }
    }

    /// <summary>Removes the user's role at one venue; roles at other venues stay. NOT_FOUND when there was none.</summary>
    public async Task RevokeVenueRoleAsync(Guid userId, string venueId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM venue_roles WHERE user_id = $1 AND venue_id = $2");
        cmd.Parameters.Add(new() { Value = userId });
        cmd.Parameters.Add(new() { Value = venueId });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "This user holds no role at this venue.");
        }
    }

    /// <summary>The user's role at the venue, or null.</summary>
    public async Task<VenueRole?> GetVenueRoleAsync(Guid userId, string venueId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT role FROM venue_roles WHERE user_id = $1 AND venue_id = $2");
        cmd.Parameters.Add(new() { Value = userId });
        cmd.Parameters.Add(new() { Value = venueId });
        return await cmd.ExecuteScalarAsync(cancellationToken) is string role ? Enum.Parse<VenueRole>(role, ignoreCase: true) : null;
    }

    /// <summary>Whether the user is an instance admin (who may act at every venue).</summary>
    public async Task<bool> IsInstanceAdminAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT is_instance_admin FROM staff_users WHERE user_id = $1");
        cmd.Parameters.Add(new() { Value = userId });
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Registers a reader device for one point of sale. The key is returned once.</summary>
    public async Task<IssuedKey> RegisterDeviceAsync(string venueId, string pointOfSaleId, string name, CancellationToken cancellationToken = default)
    {
        venueId = VenueId.Parse(venueId).Value;
        pointOfSaleId = PointOfSale.PointOfSaleId.ParseCode(pointOfSaleId);
        RequireName(name);
        var key = SecretHasher.NewKey();
        var id = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO devices (device_id, venue_id, point_of_sale_id, name, key_hash) VALUES ($1, $2, $3, $4, $5)");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = venueId });
        cmd.Parameters.Add(new() { Value = pointOfSaleId });
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = SecretHasher.HashKey(key) });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return new IssuedKey(id, key);
    }

    /// <summary>The device, or null.</summary>
    public async Task<Device?> FindDeviceAsync(Guid deviceId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT device_id, venue_id, point_of_sale_id, name, created_at, revoked_at FROM devices WHERE device_id = $1");
        cmd.Parameters.Add(new() { Value = deviceId });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDevice(reader) : null;
    }

    /// <summary>Revokes a device key; effective on its next request. NOT_FOUND for an unknown or already revoked device.</summary>
    public async Task RevokeDeviceAsync(Guid deviceId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE devices SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL");
        cmd.Parameters.Add(new() { Value = deviceId });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "No active device with this id.");
        }
    }

    /// <summary>The active device holding <paramref name="key"/>, or null.</summary>
    public async Task<Device?> AuthenticateDeviceAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT device_id, venue_id, point_of_sale_id, name, created_at, revoked_at FROM devices WHERE key_hash = $1 AND revoked_at IS NULL");
        cmd.Parameters.Add(new() { Value = SecretHasher.HashKey(key) });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDevice(reader) : null;
    }

    /// <summary>Creates a partner key for a federated instance. The key is returned once.</summary>
    public async Task<IssuedKey> CreatePartnerAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireName(name);
        var key = SecretHasher.NewKey();
        var id = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand("INSERT INTO partners (partner_id, name, key_hash) VALUES ($1, $2, $3)");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = SecretHasher.HashKey(key) });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return new IssuedKey(id, key);
    }

    /// <summary>Revokes a partner key. NOT_FOUND for an unknown or already revoked partner.</summary>
    public async Task RevokePartnerAsync(Guid partnerId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE partners SET revoked_at = now() WHERE partner_id = $1 AND revoked_at IS NULL");
        cmd.Parameters.Add(new() { Value = partnerId });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "No active partner with this id.");
        }
    }

    /// <summary>The active partner holding <paramref name="key"/>, or null.</summary>
    public async Task<Partner?> AuthenticatePartnerAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT partner_id, name, created_at, revoked_at FROM partners WHERE key_hash = $1 AND revoked_at IS NULL");
        cmd.Parameters.Add(new() { Value = SecretHasher.HashKey(key) });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Partner(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    private static StaffUser ReadUser(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetBoolean(2), r.GetFieldValue<DateTimeOffset>(3));

    private static Device ReadDevice(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5));

    private static void RequireName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new DomainException(ErrorCodes.BadUserInput, $"A name must be 1 to {MaxNameLength} characters.");
        }
    }
}
