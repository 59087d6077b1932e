using GraphQL.Types;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;

namespace TiBillet.GraphQL.Tests.Common;

public sealed class SchemaFileTests
{
    /// <summary>The production schema (no test fields), printed as SDL.</summary>
    private static string PrintProductionSchema()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddTiBilletGraphQL()
            .BuildServiceProvider();
        var schema = services.GetRequiredService<TiBilletSchema>();
        schema.Initialize();
        return schema.Print().ReplaceLineEndings("\n").Trim() + "\n";
    }

    private static string RepositoryFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiBillet.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root not found."), name);
    }

    [Fact]
    public void The_committed_schema_matches_the_code()
    {
        var printed = PrintProductionSchema();
        var path = RepositoryFile("schema.graphql");
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(path, printed);
        }

        Assert.True(File.Exists(path), "schema.graphql is missing; run the tests once with UPDATE_SCHEMA=1.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), printed);
    }
}
