using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using TiBillet.Testing;

namespace TiBillet.ReaderAgent.Tests.EndToEnd;

/// <summary>
/// The real silo on a throwaway database, listening on one fixed loopback port for the whole run: the reader agent keeps
/// its server URL across a silo restart, as it does in production. Carries the <see cref="LostAnswerInterceptor"/>.
/// </summary>
public sealed class TapSiloFixture : SiloHostFixture
{
    public int Port { get; } = FreePort.Next();

    public LostAnswerInterceptor LostAnswer { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        // Endpoints set in code win over the fixture's "Urls" setting (an ephemeral port that would change on restart).
        services.Configure<KestrelServerOptions>(o => o.Listen(IPAddress.Loopback, Port));
        services.AddSingleton<IStartupFilter>(LostAnswer);
    }
}
