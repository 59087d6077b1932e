using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using TiBillet.Grains.Identity;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Identity;

/// <summary>Login secrets at rest (PBKDF2 count, upgrade on sign-in) and rotation of the JWT signing key.</summary>
[Collection(SiloCollection.Name)]
public sealed class CredentialHardeningTests(TestFieldsSiloFixture silo)
{
    private const string Secret = "user-secret-0123456789";
    private const string Me = "{ me { kind userId } }";
    private const string Rotate = "mutation { rotateSigningKey }";

    private Task<string> StoredHashAsync(string email) =>
        silo.ScalarTextAsync("SELECT secret_hash FROM staff_users WHERE email = $1", email);

    private Task<long> SetHashAsync(string email, string hash) =>
        silo.ScalarAsync("WITH u AS (UPDATE staff_users SET secret_hash = $2 WHERE email = $1 RETURNING 1) SELECT count(*) FROM u", email, hash);

    private static string KeyIdOf(string bearer) => new JsonWebToken(bearer["Bearer ".Length..]).Kid;

    [Fact]
    public async Task New_secrets_are_hashed_with_the_configured_count()
    {
        var user = await silo.UserAsync();

        Assert.StartsWith($"{SiloHostFixture.TestHashIterations}$", await StoredHashAsync(user.Email));
    }

    [Fact]
    public async Task A_sign_in_upgrades_a_hash_made_with_fewer_iterations()
    {
        var user = await silo.UserAsync();
        Assert.Equal(1, await SetHashAsync(user.Email, SecretHasher.HashSecret(Secret, 500)));

        await silo.Client.BearerAsync(user.Email, Secret);

        var stored = await StoredHashAsync(user.Email);
        Assert.StartsWith($"{SiloHostFixture.TestHashIterations}$", stored);
        Assert.True(SecretHasher.VerifySecret(Secret, stored));
    }

    [Fact]
    public async Task A_failed_sign_in_leaves_an_old_hash_alone()
    {
        var user = await silo.UserAsync();
        var old = SecretHasher.HashSecret(Secret, 500);
        await SetHashAsync(user.Email, old);

        var response = await silo.PostAsync("mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }", new { e = user.Email, s = "wrong-secret-0123456789" });

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
        Assert.Equal(old, await StoredHashAsync(user.Email));
    }

    [Fact]
    public async Task By_default_secrets_get_600000_iterations_and_an_old_100000_hash_verifies_and_is_upgraded()
    {
        Assert.Equal(600_000, new SecretHashingOptions().Iterations);
        var user = await silo.UserAsync();
        await SetHashAsync(user.Email, SecretHasher.HashSecret(Secret, 100_000));
        // The store exactly as the silo builds it, with the default settings, on the silo's database.
        await using var dataSource = TestPostgres.DataSource(silo.ConnectionString);
        var store = new IdentityStore(dataSource, Options.Create(new SecretHashingOptions()));

        var signedIn = await store.VerifyLoginAsync(user.Email, Secret, TestContext.Current.CancellationToken);

        Assert.Equal(user.UserId, signedIn?.UserId.ToString());
        var stored = await StoredHashAsync(user.Email);
        Assert.StartsWith("600000$", stored);
        Assert.True(SecretHasher.VerifySecret(Secret, stored));
    }

    [Fact]
    public async Task Tokens_carry_the_id_of_the_key_that_signed_them()
    {
        var bearer = "Bearer " + await silo.AdminTokenAsync();
        var current = await silo.ScalarTextAsync("SELECT key_id FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, key_id DESC LIMIT 1");

        Assert.Equal(current, KeyIdOf(bearer));
    }

    [Fact]
    public async Task After_a_rotation_new_tokens_use_the_new_key_and_older_tokens_stay_valid()
    {
        var before = "Bearer " + await silo.AdminTokenAsync();

        var rotated = (await silo.PostAsync(Rotate, authorization: before)).Data()["rotateSigningKey"]!.GetValue<string>();

        var after = "Bearer " + await silo.AdminTokenAsync();
        Assert.Equal(rotated, KeyIdOf(after));
        Assert.NotEqual(KeyIdOf(before), KeyIdOf(after));
        Assert.Equal("STAFF", (await silo.PostAsync(Me, authorization: before)).Data()["me"]!["kind"]!.GetValue<string>());
        Assert.Equal("STAFF", (await silo.PostAsync(Me, authorization: after)).Data()["me"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_signed_by_a_retired_key_is_refused()
    {
        var before = "Bearer " + await silo.AdminTokenAsync();
        (await silo.PostAsync(Rotate, authorization: before)).Data();

        await silo.ScalarAsync("WITH u AS (UPDATE signing_keys SET retired_at = now() WHERE key_id = $1 RETURNING 1) SELECT count(*) FROM u", KeyIdOf(before));

        await WaitUntilAsync(async () => (await silo.PostAsync(Me, authorization: before)).ErrorCodes().Count > 0);
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync(Me, authorization: before)).ErrorCode());
    }

    [Fact]
    public async Task A_key_added_by_another_silo_is_used_here_within_seconds()
    {
        var keyId = "other-silo-" + Guid.NewGuid().ToString("N")[..8];

        // What a rotation on another silo of the cluster writes.
        await silo.ScalarAsync("WITH i AS (INSERT INTO signing_keys (key_id, secret) VALUES ($1, $2) RETURNING 1) SELECT count(*) FROM i",
            keyId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

        string? seen = null;
        await WaitUntilAsync(async () => (seen = KeyIdOf("Bearer " + await silo.AdminTokenAsync())) == keyId);
        Assert.Equal(keyId, seen);
    }

    [Theory]
    [InlineData("ADMIN")]
    [InlineData("CASHIER")]
    public async Task Only_the_instance_admin_rotates_the_signing_key(string role)
    {
        var staff = await silo.StaffAsync("venue-" + Guid.NewGuid().ToString("N")[..8], role);
        var keys = await silo.ScalarAsync("SELECT count(*) FROM signing_keys");

        var response = await silo.PostAsync(Rotate, authorization: staff);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
        Assert.Equal(keys, await silo.ScalarAsync("SELECT count(*) FROM signing_keys"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not seen within 10 s.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
