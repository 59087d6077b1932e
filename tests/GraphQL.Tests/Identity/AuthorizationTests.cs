using Microsoft.Extensions.DependencyInjection;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Identity;

[Collection(SiloCollection.Name)]
public sealed class AuthorizationTests(TestFieldsSiloFixture silo)
{
    private const string RegisterDevice =
        "mutation($v: ID!, $p: ID!) { registerDevice(venueId: $v, pointOfSaleId: $p, name: \"till\") { id key } }";

    private static string NewVenue() => "venue-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A venue that exists, with tills "pos-1", "pos-2" and "pos" (devices can only be registered for real tills).</summary>
    private async Task<string> ExistingVenueAsync()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var venue = NewVenue();
        (await silo.PostAsync("mutation($v: ID!) { createVenue(id: $v, name: \"Venue\") { id } }", new { v = venue }, admin)).Data();
        foreach (var till in new[] { "pos-1", "pos-2", "pos" })
        {
            (await silo.PostAsync("mutation($v: ID!, $p: ID!) { createPointOfSale(input: { venueId: $v, pointOfSaleId: $p, name: \"Till\" }) { name } }",
                new { v = venue, p = till }, admin)).Data();
        }

        return venue;
    }

    [Fact]
    public async Task An_anonymous_mutation_is_unauthenticated()
    {
        var response = await silo.PostAsync(RegisterDevice, new { v = NewVenue(), p = "pos-1" });

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
        Assert.Null(response.Body["data"]);
    }

    [Fact]
    public async Task An_anonymous_query_of_private_data_is_unauthenticated()
    {
        var response = await silo.PostAsync("{ me { kind } }");

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
    }

    [Fact]
    public async Task A_wrong_role_is_forbidden()
    {
        var venue = NewVenue();
        var cashier = await silo.StaffAsync(venue, "CASHIER");

        var response = await silo.PostAsync(RegisterDevice, new { v = venue, p = "pos-1" }, cashier);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task A_role_at_another_venue_is_forbidden()
    {
        var venueAdmin = await silo.StaffAsync(NewVenue(), "ADMIN");

        var response = await silo.PostAsync(RegisterDevice, new { v = NewVenue(), p = "pos-1" }, venueAdmin);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task A_venue_admin_registers_a_device_at_their_venue()
    {
        var venue = await ExistingVenueAsync();
        var venueAdmin = await silo.StaffAsync(venue, "ADMIN");

        var response = await silo.PostAsync(RegisterDevice, new { v = venue, p = "pos-1" }, venueAdmin);

        var key = response.Data()["registerDevice"]!["key"]!.GetValue<string>();
        var me = await silo.PostAsync("{ me { kind venueId pointOfSaleId } }", authorization: "Device " + key);
        Assert.Equal("DEVICE", me.Data()["me"]!["kind"]!.GetValue<string>());
        Assert.Equal(venue, me.Data()["me"]!["venueId"]!.GetValue<string>());
        Assert.Equal("pos-1", me.Data()["me"]!["pointOfSaleId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instance_admin_only_mutations_are_forbidden_to_venue_staff()
    {
        var venueAdmin = await silo.StaffAsync(NewVenue(), "ADMIN");

        var response = await silo.PostAsync("mutation { createPartner(name: \"p\") { id } }", authorization: venueAdmin);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task A_device_cannot_use_staff_mutations()
    {
        var venue = await ExistingVenueAsync();
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var key = (await silo.PostAsync(RegisterDevice, new { v = venue, p = "pos-1" }, admin)).Data()["registerDevice"]!["key"]!.GetValue<string>();

        var response = await silo.PostAsync(RegisterDevice, new { v = venue, p = "pos-2" }, "Device " + key);

        Assert.Equal("FORBIDDEN", response.ErrorCode());
    }

    [Fact]
    public async Task Concurrent_requests_of_one_device_share_one_key_lookup_per_cache_period()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var issued = (await silo.PostAsync(RegisterDevice, new { v = await ExistingVenueAsync(), p = "pos-1" }, admin)).Data()["registerDevice"]!;
        var device = "Device " + issued["key"]!.GetValue<string>();
        var authenticator = silo.Services.GetRequiredService<TiBillet.GraphQL.Identity.CredentialAuthenticator>();
        var cacheTime = silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TiBillet.GraphQL.Execution.GraphQLApiOptions>>().Value.CredentialCacheTime;

        // A key never seen: 64 requests at once, as a busy till's would be; every one of them misses the cache.
        var first = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => authenticator.AuthenticateAsync(device, TestContext.Current.CancellationToken)));
        await Task.Delay(cacheTime + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        var second = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => authenticator.AuthenticateAsync(device, TestContext.Current.CancellationToken)));

        // One lookup each time: all callers get the very principal it built; after expiry, a new one.
        Assert.All(first, p => Assert.Same(first[0], p));
        Assert.All(second, p => Assert.Same(second[0], p));
        Assert.NotSame(first[0], second[0]);
        Assert.Equal(issued["id"]!.GetValue<string>(), first[0]!.FindFirst(TiBillet.GraphQL.Authorization.TiBilletClaims.DeviceId)!.Value);
    }

    [Fact]
    public async Task A_revoked_device_key_is_refused_immediately()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var issued = (await silo.PostAsync(RegisterDevice, new { v = await ExistingVenueAsync(), p = "pos-1" }, admin)).Data()["registerDevice"]!;
        var device = "Device " + issued["key"]!.GetValue<string>();
        Assert.Equal("DEVICE", (await silo.PostAsync("{ me { kind } }", authorization: device)).Data()["me"]!["kind"]!.GetValue<string>());

        var revoked = await silo.PostAsync("mutation($d: Guid!) { revokeDevice(deviceId: $d) }", new { d = issued["id"]!.GetValue<string>() }, admin);
        Assert.True(revoked.Data()["revokeDevice"]!.GetValue<bool>());

        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync("{ me { kind } }", authorization: device)).ErrorCode());
    }

    [Fact]
    public async Task Revoking_a_role_at_one_venue_keeps_the_others()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var (venueA, venueB) = (await ExistingVenueAsync(), await ExistingVenueAsync());
        var staff = await silo.StaffAsync(venueA, "ADMIN");
        var userId = (await silo.PostAsync("{ me { userId } }", authorization: staff)).Data()["me"]!["userId"]!.GetValue<string>();
        await silo.PostAsync("mutation($u: Guid!, $v: ID!) { grantVenueRole(userId: $u, venueId: $v, role: ADMIN) }", new { u = userId, v = venueB }, admin);

        var revoke = await silo.PostAsync("mutation($u: Guid!, $v: ID!) { revokeVenueRole(userId: $u, venueId: $v) }", new { u = userId, v = venueA }, admin);
        Assert.True(revoke.Data()["revokeVenueRole"]!.GetValue<bool>());

        Assert.Equal("FORBIDDEN", (await silo.PostAsync(RegisterDevice, new { v = venueA, p = "pos" }, staff)).ErrorCode());
        Assert.NotNull((await silo.PostAsync(RegisterDevice, new { v = venueB, p = "pos" }, staff)).Data()["registerDevice"]);
    }

    [Fact]
    public async Task Partner_keys_authenticate_as_partners_until_revoked()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var issued = (await silo.PostAsync("mutation { createPartner(name: \"Le Tiers-Lieu\") { id key } }", authorization: admin)).Data()["createPartner"]!;
        var partner = "Partner " + issued["key"]!.GetValue<string>();

        Assert.Equal("PARTNER", (await silo.PostAsync("{ me { kind } }", authorization: partner)).Data()["me"]!["kind"]!.GetValue<string>());
        await silo.PostAsync("mutation($p: Guid!) { revokePartner(partnerId: $p) }", new { p = issued["id"]!.GetValue<string>() }, admin);
        Assert.Equal("UNAUTHENTICATED", (await silo.PostAsync("{ me { kind } }", authorization: partner)).ErrorCode());
    }

    [Fact]
    public async Task A_wrong_login_secret_is_unauthenticated()
    {
        var response = await silo.PostAsync("mutation { login(email: \"admin@test.localhost\", secret: \"wrong-secret-value\") { token } }");

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
    }

    [Fact]
    public async Task A_forged_bearer_token_is_unauthenticated()
    {
        var token = await silo.AdminTokenAsync();
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var response = await silo.PostAsync("{ me { kind } }", authorization: "Bearer " + forged);

        Assert.Equal("UNAUTHENTICATED", response.ErrorCode());
    }

    [Fact]
    public async Task A_duplicate_user_is_a_conflict()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();
        var email = $"dup-{Guid.NewGuid():N}@test.localhost";
        const string create = "mutation($e: String!) { createUser(email: $e, secret: \"0123456789abcdef\") { userId } }";
        Assert.NotNull((await silo.PostAsync(create, new { e = email }, admin)).Data()["createUser"]);

        Assert.Equal("CONFLICT", (await silo.PostAsync(create, new { e = email }, admin)).ErrorCode());
    }

    [Fact]
    public async Task A_malformed_email_is_bad_user_input()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();

        var response = await silo.PostAsync("mutation { createUser(email: \"not an email\", secret: \"0123456789abcdef\") { userId } }", authorization: admin);

        Assert.Equal("BAD_USER_INPUT", response.ErrorCode());
    }

    [Fact]
    public async Task Registering_a_device_for_an_unknown_till_is_not_found()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();

        var response = await silo.PostAsync(RegisterDevice, new { v = await ExistingVenueAsync(), p = "no-such-till" }, admin);

        Assert.Equal("NOT_FOUND", response.ErrorCode());
    }

    [Fact]
    public async Task Revoking_an_unknown_device_is_not_found()
    {
        var admin = "Bearer " + await silo.AdminTokenAsync();

        var response = await silo.PostAsync("mutation($d: Guid!) { revokeDevice(deviceId: $d) }", new { d = Guid.NewGuid() }, admin);

        Assert.Equal("NOT_FOUND", response.ErrorCode());
    }

    [Fact]
    public async Task Every_mutation_field_declares_a_policy()
    {
        var schema = (global::GraphQL.Types.ISchema)silo.Services.GetService(typeof(TiBillet.GraphQL.Root.TiBilletSchema))!;
        schema.Initialize();

        var missing = schema.Mutation!.Fields.Where(f => f.GetMetadata<string?>("tibillet.policy") is null).Select(f => f.Name).ToList();

        Assert.Empty(missing);
    }
}
