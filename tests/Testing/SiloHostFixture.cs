using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TiBillet.Silo.Hosting;
using Xunit;

namespace TiBillet.Testing;

/// <summary>
/// The real silo process in-process: Kestrel on a free loopback port, Orleans with ADO.NET clustering, storage and
/// reminders on a fresh database of the test server. Tests talk to it over HTTP like any client.
/// </summary>
public class SiloHostFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@test.localhost";
    public const string AdminSecret = "test-admin-secret-0123456789";

    /// <summary>The PBKDF2 iteration count the test silo hashes login secrets with.</summary>
    public const int TestHashIterations = 1_000;

    private TiBilletSiloHost? _host;

    public string ConnectionString { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = null!;

    public Uri GraphQLUri => new(BaseAddress, "/graphql");

    public TiBilletSiloHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => Host.App.Services;

    public SiloHostFixture() => Client = new GraphQLTestClient(() => GraphQLUri);

    /// <summary>The SMTP server the silo mails to (customers' sign-in codes and links).</summary>
    public TestSmtpServer Smtp { get; } = new();

    public GraphQLTestClient Client { get; }

    public HttpClient Http => Client.Http;

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("silo");
        await StartAsync();
    }

    /// <summary>
    /// Settings of this fixture's host on top of the defaults. The default sign-in limits are raised here, because every
    /// test signs in from the same loopback address; throttling tests lower them in a fixture of their own.
    /// </summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("SignInThrottleOptions:PerAddressLimit", "100000"),
        new("SignInThrottleOptions:PerEmailLimit", "100"),
        new("SignInThrottleOptions:FailedLoginsPerAddress", "100000"),
        // Tests close a till right after selling: no margin needed, every sale has committed before they close.
        new("TillOptions:ClosureSettleMargin", "00:00:00"),
    ];

    /// <summary>Extra services for this fixture's host (test-only schema fields, for instance).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Command-line arguments for this fixture's host (<c>--environment Development</c>, for instance).</summary>
    protected virtual string[] HostArguments => [];

    /// <summary>Starts the silo on <see cref="ConnectionString"/> (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var siloPort = FreePort.Next();
        _host = await TiBilletSiloHost.CreateAsync(HostArguments, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:TiBillet"] = ConnectionString,
                ["Urls"] = "http://127.0.0.1:0",
                ["SiloHostingOptions:ClusterId"] = "test",
                ["SiloHostingOptions:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["BootstrapOptions:AdminEmail"] = AdminEmail,
                ["BootstrapOptions:AdminSecret"] = AdminSecret,
                ["Logging:LogLevel:Default"] = "Warning",
                // Tests sign in very often on few cores: a low count keeps that cheap (the default is tested on its own).
                ["SecretHashingOptions:Iterations"] = TestHashIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["GraphQLApiOptions:SigningKeyRefresh"] = "00:00:01",
                ["MailOptions:SmtpHost"] = "127.0.0.1",
                ["MailOptions:SmtpPort"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["MailOptions:StartTls"] = "false",
                ["MailOptions:Sender"] = "TiBillet test <no-reply@test.localhost>",
                // Several test silos run in this process at once: metrics only where a fixture asks for them.
                ["ObservabilityOptions:MetricsUrl"] = "",
            });
            // Later entries win, so a fixture may restate a base setting.
            var settings = new Dictionary<string, string?>();
            foreach (var (key, value) in Settings())
            {
                settings[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            ConfigureServices(builder.Services);
        }, cancellationToken);
        await _host.App.StartAsync(cancellationToken);
        var address = _host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>Stops the silo gracefully (the database stays).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_host is not null)
        {
            await _host.App.StopAsync(cancellationToken);
            await _host.DisposeAsync();
            _host = null;
        }
    }

    /// <summary>Signs in the instance admin and returns a bearer token.</summary>
    public async Task<string> AdminTokenAsync() => (await Client.BearerAsync(AdminEmail, AdminSecret))["Bearer ".Length..];

    /// <summary>POSTs a GraphQL request; <paramref name="authorization"/> is a full header value such as "Bearer …".</summary>
    public Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? authorization = null) =>
        Client.PostAsync(query, variables, authorization);

    /// <summary>Sends a raw request and parses the GraphQL answer.</summary>
    public Task<GraphQLResponse> SendAsync(HttpRequestMessage request) => Client.SendAsync(request);

    /// <summary>
    /// One number read straight from the silo's database (a count, a sum), to see what a request wrote or did not write;
    /// <paramref name="parameters"/> are <c>$1</c>, <c>$2</c>, … in order (pass an array as <c>(object)array</c>).
    /// </summary>
    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"No row for: {sql}");
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One text value read straight from the silo's database; parameters as for <see cref="ScalarAsync"/>.</summary>
    public async Task<string> ScalarTextAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as string
            ?? throw new InvalidOperationException($"No text for: {sql}");
    }

    /// <summary>Rows in the ledger's transaction table: unchanged across a call means the call moved nothing.</summary>
    public Task<long> LedgerRowsAsync() => ScalarAsync("SELECT count(*) FROM ledger_transactions");

    /// <summary>
    /// A new staff user holding <paramref name="role"/> (a <c>VenueRole</c> name) at <paramref name="venue"/>, created by the
    /// instance admin; returns the user's "Bearer …" header. Fails if the role was not granted.
    /// </summary>
    public async Task<string> StaffAsync(string venue, string role)
    {
        var user = await UserAsync();
        var granted = (await PostAsync("mutation($u: Guid!, $v: ID!, $r: VenueRole!) { grantVenueRole(userId: $u, venueId: $v, role: $r) }",
            new { u = user.UserId, v = venue, r = role }, "Bearer " + await AdminTokenAsync())).Data();
        if (!granted["grantVenueRole"]!.GetValue<bool>())
        {
            throw new InvalidOperationException($"Role {role} at {venue} was not granted: {granted.ToJsonString()}");
        }

        return user.Bearer;
    }

    /// <summary>A new user account, created by the instance admin, with no venue role: its id, e-mail and "Bearer …" header.</summary>
    public async Task<(string UserId, string Email, string Bearer)> UserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@test.localhost";
        const string secret = "user-secret-0123456789";
        var userId = (await PostAsync("mutation($e: String!, $s: String!) { createUser(email: $e, secret: $s) { userId } }", new { e = email, s = secret }, "Bearer " + await AdminTokenAsync()))
            .Data()["createUser"]!["userId"]!.GetValue<string>();
        return (userId, email, await Client.BearerAsync(email, secret));
    }

    /// <summary>
    /// Signs a customer in through the API, as a person would: <c>requestSignIn</c>, the code read from the mail the test SMTP
    /// server received, then <c>signIn</c>. Returns the "Bearer …" header of the customer token.
    /// </summary>
    public async Task<string> CustomerTokenAsync(string email)
    {
        var requested = await PostAsync("mutation($e: String!) { requestSignIn(input: {email: $e}) }", new { e = email });
        if (requested.Data()["requestSignIn"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"requestSignIn failed: {requested.Body.ToJsonString()}");
        }

        var (code, _) = TestSmtpServer.SignInSecrets(await Smtp.NextMessageAsync(email, TestContext.Current.CancellationToken));
        var signedIn = await PostAsync("mutation($e: String!, $c: String!) { signIn(input: {email: $e, code: $c}) { token } }", new { e = email, c = code });
        return "Bearer " + signedIn.Data()["signIn"]!["token"]!.GetValue<string>();
    }

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Smtp.DisposeAsync();
        Client.Dispose();
    }
}
