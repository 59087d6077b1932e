using TiBillet.Silo.Database;
using TiBillet.Silo.Hosting;

try
{
    if (args.Length > 0 && args[0] == AdminBootstrap.ResetCommand)
    {
        return await AdminBootstrap.ResetAsync(args[1..], Console.Out);
    }

    await using var host = await TiBilletSiloHost.CreateAsync(args);
    await host.App.RunAsync();
}
catch (PostgresNotInstalledException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
catch (SchemaMigrationException e)
{
    Console.Error.WriteLine($"Database schema problem: {e.Message}");
    return 1;
}

return 0;
