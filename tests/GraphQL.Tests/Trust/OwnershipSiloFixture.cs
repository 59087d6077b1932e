using Microsoft.Extensions.DependencyInjection;
using TiBillet.Grains.Customers;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Trust;

/// <summary>The real silo with a <see cref="CapturingMailSender"/> in place of the outbox, for flows that mail a code.</summary>
public sealed class OwnershipSiloFixture : SiloHostFixture
{
    public CapturingMailSender Mail { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IMailSender>(Mail);
}
