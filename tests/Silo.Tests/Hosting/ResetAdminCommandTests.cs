using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TiBillet.Grains.Identity;
using TiBillet.Silo.Hosting;
using TiBillet.Testing;

namespace TiBillet.Silo.Tests.Hosting;

/// <summary><c>dotnet run --project src/Silo -- reset-admin</c>, run in-process against a test database.</summary>
public sealed class ResetAdminCommandTests
{
    private const string AdminEmail = "admin@reset.localhost";
    private const string OldSecret = "old-admin-secret-0123456789";

    private static Action<IConfigurationBuilder> On(string connectionString, string adminEmail = AdminEmail) => config =>
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:TiBillet"] = connectionString,
            ["BootstrapOptions:AdminEmail"] = adminEmail,
            ["SecretHashingOptions:Iterations"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        });

    private static IdentityStore Store(Npgsql.NpgsqlDataSource dataSource) => new(dataSource, Options.Create(new SecretHashingOptions { Iterations = 1000 }));

    [Fact]
    public async Task Reset_admin_prints_a_new_secret_once_and_the_old_one_stops_working()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("reset");
        await using var database = await TiBilletDatabase.OpenAsync(connectionString, managed: null, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        var identity = Store(database.DataSource);
        var admin = await identity.CreateUserAsync(AdminEmail, OldSecret, isInstanceAdmin: true, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await AdminBootstrap.ResetAsync([], output, On(connectionString), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var printed = output.ToString();
        const string marker = "(shown only now): ";
        var secret = printed[(printed.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
        Assert.True(secret.Length >= 40, printed);
        Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(await identity.VerifyLoginAsync(AdminEmail, OldSecret, TestContext.Current.CancellationToken));
        Assert.Equal(admin.UserId, (await identity.VerifyLoginAsync(AdminEmail, secret, TestContext.Current.CancellationToken))?.UserId);
    }

    [Fact]
    public async Task Reset_admin_for_an_unknown_admin_fails_and_changes_nothing()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("reset");
        await using var database = await TiBilletDatabase.OpenAsync(connectionString, managed: null, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        var identity = Store(database.DataSource);
        await identity.CreateUserAsync(AdminEmail, OldSecret, isInstanceAdmin: true, TestContext.Current.CancellationToken);
        await identity.CreateUserAsync("staff@reset.localhost", OldSecret, isInstanceAdmin: false, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        // A staff account that is not an instance admin is not reset either.
        var exit = await AdminBootstrap.ResetAsync([], output, On(connectionString, "staff@reset.localhost"), TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.DoesNotContain("shown only now", output.ToString(), StringComparison.Ordinal);
        Assert.NotNull(await identity.VerifyLoginAsync(AdminEmail, OldSecret, TestContext.Current.CancellationToken));
        Assert.NotNull(await identity.VerifyLoginAsync("staff@reset.localhost", OldSecret, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_silo_executable_runs_reset_admin_and_exits_without_serving()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("reset");
        await using var database = await TiBilletDatabase.OpenAsync(connectionString, managed: null, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TestContext.Current.CancellationToken);
        var identity = Store(database.DataSource);
        await identity.CreateUserAsync(AdminEmail, OldSecret, isInstanceAdmin: true, TestContext.Current.CancellationToken);
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TiBillet.Silo.dll"), "reset-admin"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ConnectionStrings__TiBillet"] = connectionString;
        info.Environment["BootstrapOptions__AdminEmail"] = AdminEmail;
        info.Environment["SecretHashingOptions__Iterations"] = "1000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));

        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        const string marker = "(shown only now): ";
        var secret = output[(output.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
        Assert.NotNull(await identity.VerifyLoginAsync(AdminEmail, secret, TestContext.Current.CancellationToken));
        Assert.Null(await identity.VerifyLoginAsync(AdminEmail, OldSecret, TestContext.Current.CancellationToken));
    }
}
