using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.GraphQL.Identity;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Common;

/// <summary>
/// A socket keeps checking its credential: revoked keys and roles and expired tokens close it (4403) within seconds,
/// each subscribe uses current rights, and one socket is bounded in operations and in queued messages.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class WebSocketCredentialTests(TestFieldsSiloFixture silo)
{
    private static string Subscribe(string venue, string id = "1") => new JsonObject
    {
        ["id"] = id,
        ["type"] = "subscribe",
        ["payload"] = new JsonObject
        {
            ["query"] = "subscription($v: ID!) { pointOfSaleEvents(venueId: $v, pointOfSaleId: \"bar\") { kind } }",
            ["variables"] = new JsonObject { ["v"] = venue },
        },
    }.ToJsonString();

    private async Task<ClientWebSocket> InitialisedAsync(string authorization)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(new UriBuilder(silo.GraphQLUri) { Scheme = "ws" }.Uri, TestContext.Current.CancellationToken);
        await SendAsync(socket, new JsonObject { ["type"] = "connection_init", ["payload"] = new JsonObject { ["Authorization"] = authorization } }.ToJsonString());
        Assert.Equal("connection_ack", (await ReceiveAsync(socket, TestContext.Current.CancellationToken))!["type"]!.GetValue<string>());
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TestContext.Current.CancellationToken);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, linked.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }

    /// <summary>Subscribes to the till's events and reads the opening SUBSCRIBED event.</summary>
    private static async Task FollowTillAsync(ClientWebSocket socket, string venue, string id = "1")
    {
        await SendAsync(socket, Subscribe(venue, id));
        var first = (await ReceiveAsync(socket, TestContext.Current.CancellationToken))!;
        Assert.Equal("next", first["type"]!.GetValue<string>());
        Assert.Equal("SUBSCRIBED", first["payload"]!["data"]!["pointOfSaleEvents"]!["kind"]!.GetValue<string>());
    }

    /// <summary>Reads until the server closes; returns the close code, failing if it stays open for <paramref name="within"/>.</summary>
    private static async Task<int> ClosedWithinAsync(ClientWebSocket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await ReceiveAsync(socket, timeout.Token) is not null)
            {
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The socket stayed open for {within.TotalSeconds} s.");
        }

        return (int)socket.CloseStatus!;
    }

    private async Task<(CashlessNetwork Net, string DeviceId, string Device)> TillWithDeviceAsync()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var issued = (await silo.PostAsync("mutation($v: ID!) { registerDevice(venueId: $v, pointOfSaleId: \"bar\", name: \"screen\") { id key } }", new { v = net.Venue }, net.Admin))
            .Data()["registerDevice"]!;
        return (net, issued["id"]!.GetValue<string>(), "Device " + issued["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_device_key_closes_its_socket_within_seconds()
    {
        var (net, deviceId, device) = await TillWithDeviceAsync();
        using var socket = await InitialisedAsync(device);
        await FollowTillAsync(socket, net.Venue);

        Assert.True((await silo.PostAsync("mutation($d: Guid!) { revokeDevice(deviceId: $d) }", new { d = deviceId }, net.Admin)).Data()["revokeDevice"]!.GetValue<bool>());

        Assert.Equal(4403, await ClosedWithinAsync(socket, TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public async Task A_revoked_venue_role_closes_the_socket_within_seconds()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var user = await silo.UserAsync();
        (await silo.PostAsync("mutation($u: Guid!, $v: ID!) { grantVenueRole(userId: $u, venueId: $v, role: VIEWER) }", new { u = user.UserId, v = net.Venue }, net.Admin)).Data();
        using var socket = await InitialisedAsync(user.Bearer);
        await FollowTillAsync(socket, net.Venue);

        (await silo.PostAsync("mutation($u: Guid!, $v: ID!) { revokeVenueRole(userId: $u, venueId: $v) }", new { u = user.UserId, v = net.Venue }, net.Admin)).Data();

        Assert.Equal(4403, await ClosedWithinAsync(socket, TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public async Task An_expired_token_closes_the_socket_at_its_expiry()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var adminId = (await silo.PostAsync("{ me { userId } }", authorization: net.Admin)).Data()["me"]!["userId"]!.GetValue<string>();
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKeyProvider.Issuer,
            Audience = SigningKeyProvider.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(3),
            SigningCredentials = new SigningCredentials(silo.Services.GetRequiredService<SigningKeyProvider>().Key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity([new(TiBilletClaims.UserId, adminId), new(TiBilletClaims.Kind, TiBilletClaims.StaffKind), new(TiBilletClaims.InstanceAdmin, "true")]),
        });
        using var socket = await InitialisedAsync("Bearer " + token);
        await FollowTillAsync(socket, net.Venue);

        Assert.Equal(4403, await ClosedWithinAsync(socket, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_subscribe_after_the_device_was_revoked_is_refused()
    {
        var (net, deviceId, device) = await TillWithDeviceAsync();
        using var socket = await InitialisedAsync(device);

        (await silo.PostAsync("mutation($d: Guid!) { revokeDevice(deviceId: $d) }", new { d = deviceId }, net.Admin)).Data();
        await SendAsync(socket, Subscribe(net.Venue));

        // No SUBSCRIBED event: the socket is closed instead.
        Assert.Null(await ReceiveAsync(socket, TestContext.Current.CancellationToken));
        Assert.Equal(4403, (int)socket.CloseStatus!);
    }

    [Fact]
    public async Task A_subscribe_after_the_role_was_revoked_is_forbidden()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        var user = await silo.UserAsync();
        (await silo.PostAsync("mutation($u: Guid!, $v: ID!) { grantVenueRole(userId: $u, venueId: $v, role: VIEWER) }", new { u = user.UserId, v = net.Venue }, net.Admin)).Data();
        using var socket = await InitialisedAsync(user.Bearer);
        (await silo.PostAsync("mutation($u: Guid!, $v: ID!) { revokeVenueRole(userId: $u, venueId: $v) }", new { u = user.UserId, v = net.Venue }, net.Admin)).Data();

        await SendAsync(socket, Subscribe(net.Venue));

        var answer = await ReceiveAsync(socket, TestContext.Current.CancellationToken);
        Assert.True(answer is null || answer["payload"]?.ToJsonString().Contains("FORBIDDEN", StringComparison.Ordinal) == true, answer?.ToJsonString());
        Assert.NotEqual("SUBSCRIBED", answer?["payload"]?["data"]?["pointOfSaleEvents"]?["kind"]?.GetValue<string>());
    }

    [Fact]
    public async Task One_socket_runs_a_bounded_number_of_operations()
    {
        var net = await CashlessNetwork.CreateAsync(silo.Client);
        using var socket = await InitialisedAsync(net.Admin);
        var max = new GraphQLApiOptions().WebSocketMaxOperations;
        for (var i = 0; i < max; i++)
        {
            await FollowTillAsync(socket, net.Venue, $"s{i}");
        }

        await SendAsync(socket, Subscribe(net.Venue, "one-too-many"));

        var refused = (await ReceiveAsync(socket, TestContext.Current.CancellationToken))!;
        Assert.Equal("error", refused["type"]!.GetValue<string>());
        Assert.Equal("one-too-many", refused["id"]!.GetValue<string>());
        Assert.Equal("TOO_MANY_OPERATIONS", refused["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        // Completing one frees a place.
        await SendAsync(socket, """{"id":"s0","type":"complete"}""");
        await FollowTillAsync(socket, net.Venue, "again");
    }

    [Fact]
    public async Task A_client_that_does_not_keep_up_is_closed_instead_of_queued_without_bound()
    {
        using var socket = await InitialisedAsync("Bearer " + await silo.AdminTokenAsync());
        const int produced = 200_000;

        await SendAsync(socket, $$$"""{"id":"flood","type":"subscribe","payload":{"query":"subscription { countdown(from: {{{produced}}}) }"}}""");

        var received = 0;
        try
        {
            while (await ReceiveAsync(socket, TestContext.Current.CancellationToken) is { } message)
            {
                Assert.NotEqual("complete", message["type"]!.GetValue<string>());
                received++;
            }

            Assert.Equal(4420, (int)socket.CloseStatus!);
        }
        catch (WebSocketException)
        {
            // Aborted while a send was blocked: closed as well.
        }

        Assert.True(received < produced, $"Received all {received} messages.");
    }
}
