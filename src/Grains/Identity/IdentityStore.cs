using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;
using TiBillet.Grains.Common;

namespace TiBillet.Grains.Identity;

/// <summary>
/// Staff accounts, venue roles, device keys and partner keys, kept in PostgreSQL. The one place that decides
/// whether a credential is valid and what role someone holds at a venue. Revocations take effect on the next request:
/// nothing here is cached.
/// </summary>
public sealed class IdentityStore(NpgsqlDataSource dataSource, IOptions<SecretHashingOptions> hashing)
{
    private const int MaxNameLength = 200;
    private const int SigningKeyBytes = 64;

    private int Iterations => hashing.Value.Iterations;

    /// <summary>
    /// The JWT signing keys not yet retired, newest first (the newest signs new tokens). Creates the first key on a
    /// fresh database.
    /// </summary>
    public async Task<IReadOnlyList<SigningKey>> GetSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        // Every silo may run this at once on a fresh database: the fixed id makes them agree on one first key.
        var create = new NpgsqlBatchCommand(
            "INSERT INTO signing_keys (key_id, secret) SELECT 'initial', $1 WHERE NOT EXISTS (SELECT 1 FROM signing_keys) ON CONFLICT (key_id) DO NOTHING");
        create.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(SigningKeyBytes) });
        batch.BatchCommands.Add(create);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT key_id, secret, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, key_id DESC"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var keys = new List<SigningKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new SigningKey(reader.GetString(0), (byte[])reader[1], reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return keys;
    }

    /// <summary>
    /// Creates a new signing key, which signs every token issued from now on, and retires the keys superseded more than
    /// <paramref name="keepSupersededFor"/> ago (the longest token lifetime: no token they signed is still valid).
    /// Returns the new key's id.
    /// </summary>
    public async Task<string> RotateSigningKeyAsync(TimeSpan keepSupersededFor, CancellationToken cancellationToken = default)
    {
        var keyId = Guid.CreateVersion7().ToString("N");
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand("INSERT INTO signing_keys (key_id, secret) VALUES ($1, $2)");
        insert.Parameters.Add(new() { Value = keyId });
        insert.Parameters.Add(new() { Value = RandomNumberGenerator.GetBytes(SigningKeyBytes) });
        batch.BatchCommands.Add(insert);
        var retire = new NpgsqlBatchCommand(
            """
            UPDATE signing_keys k SET retired_at = now()
            WHERE k.retired_at IS NULL
              AND EXISTS (SELECT 1 FROM signing_keys n WHERE n.created_at > k.created_at AND n.created_at < now() - $1)
            """);
        retire.Parameters.Add(new() { Value = keepSupersededFor });
        batch.BatchCommands.Add(retire);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return keyId;
    }

    /// <summary>
    /// Gives the instance admin <paramref name="email"/> a new random login secret and returns it (shown once by the
    /// caller). NOT_FOUND when no instance admin has this e-mail.
    /// </summary>
    public async Task<string> ResetInstanceAdminSecretAsync(string email, CancellationToken cancellationToken = default)
    {
        var secret = SecretHasher.NewKey();
        await using var cmd = dataSource.CreateCommand("UPDATE staff_users SET secret_hash = $2 WHERE email = $1 AND is_instance_admin");
        cmd.Parameters.Add(new() { Value = EmailAddress.Parse(email).Value });
        cmd.Parameters.Add(new() { Value = SecretHasher.HashSecret(secret, Iterations) });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DomainException(ErrorCodes.NotFound, "No instance admin has this e-mail.");
        }

        return secret;
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
        cmd.Parameters.Add(new() { Value = SecretHasher.HashSecret(secret, Iterations) });
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
            SecretHasher.VerifySecret(secret, DummyHash(Iterations));
            return null;
        }

        var user = ReadUser(reader);
        var stored = reader.GetString(4);
        await reader.DisposeAsync();
        if (!SecretHasher.VerifySecret(secret, stored))
        {
            return null;
        }

        if (SecretHasher.NeedsUpgrade(stored, Iterations))
        {
            // Hashed with an older, lower count: store it at today's. Only if unchanged since read (a reset in between wins).
            await using var upgrade = dataSource.CreateCommand("UPDATE staff_users SET secret_hash = $3 WHERE user_id = $1 AND secret_hash = $2");
            upgrade.Parameters.Add(new() { Value = user.UserId });
            upgrade.Parameters.Add(new() { Value = stored });
            upgrade.Parameters.Add(new() { Value = SecretHasher.HashSecret(secret, Iterations) });
            await upgrade.ExecuteNonQueryAsync(cancellationToken);
        }

        return user;
    }

    private string? _dummyHash;

    private string DummyHash(int iterations) =>
        _dummyHash is { } hash && SecretHasher.IterationsOf(hash) == iterations ? hash : _dummyHash = SecretHasher.HashSecret("not-a-real-secret", iterations);

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

    /// <summary>Whether the user holds a role at any venue (staff of some venue).</summary>
    public async Task<bool> HasAnyVenueRoleAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM venue_roles WHERE user_id = $1)");
        cmd.Parameters.Add(new() { Value = userId });
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
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
