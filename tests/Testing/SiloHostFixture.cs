using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    private TiBilletSiloHost? _host;

    public string ConnectionString { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = null!;

    public Uri GraphQLUri => new(BaseAddress, "/graphql");

    public TiBilletSiloHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider Services => Host.App.Services;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("silo");
        await StartAsync();
    }

    /// <summary>Extra services for this fixture's host (test-only schema fields, for instance).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Starts the silo on <see cref="ConnectionString"/> (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var siloPort = FreePort();
        _host = await TiBilletSiloHost.CreateAsync([], builder =>
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
            });
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
    public async Task<string> AdminTokenAsync()
    {
        var result = await PostAsync("mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }",
            new { e = AdminEmail, s = AdminSecret });
        return result.Data()["login"]!["token"]!.GetValue<string>();
    }

    /// <summary>POSTs a GraphQL request; <paramref name="authorization"/> is a full header value such as "Bearer …".</summary>
    public async Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? authorization = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, GraphQLUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await SendAsync(request);
    }

    /// <summary>Sends a raw request and parses the GraphQL answer.</summary>
    public async Task<GraphQLResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new GraphQLResponse(response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
