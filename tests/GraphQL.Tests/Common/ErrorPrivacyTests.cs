using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TiBillet.GraphQL.Transport;
using TiBillet.GraphQL.Execution;
using TiBillet.GraphQL.Authorization;
using TiBillet.GraphQL.Root;
using TiBillet.GraphQL.Limits;
using TiBillet.Testing;

namespace TiBillet.GraphQL.Tests.Common;

/// <summary>The silo host started as a developer's machine starts it: the Development environment.</summary>
public sealed class DevelopmentSiloFixture : SiloHostFixture
{
    protected override string[] HostArguments => ["--environment", "Development"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IQueryFields, BoomQuery>();

    private sealed class BoomQuery : IQueryFields
    {
        public void AddTo(QueryGraphType query) =>
            query.Field<StringGraphType>("boom")
                .RequirePolicy(Policies.Public)
                .Resolve(_ => throw new InvalidOperationException("secret internal detail"));
    }
}

/// <summary>
/// Error answers never carry exception text, exception types or stack frames, whatever the environment: a client (or
/// anyone probing the API) learns the error's code and a short message, never how the server is built.
/// </summary>
public sealed class ErrorPrivacyTests(DevelopmentSiloFixture silo) : IClassFixture<DevelopmentSiloFixture>
{
    private const string Login = "mutation($e: String!, $s: String!) { login(email: $e, secret: $s) { token } }";

    public static TheoryData<string, string, string?> BadRequests => new()
    {
        { "bad syntax", "{ instance { name ", null },
        { "unknown field", "{ instance { name } noSuchField }", null },
        { "variable of the wrong type", Login, """{"e": {"not": "a string"}, "s": "x"}""" },
        { "list for a string", Login, """{"e": ["a", "b"], "s": "x"}""" },
        { "null for a non-null variable", Login, """{"e": null, "s": "x"}""" },
        { "missing non-null variable", Login, """{"s": "x"}""" },
        { "variable for an unknown type", "query($v: NoSuchType) { instance { name } }", """{"v": 1}""" },
        { "unexpected exception", "{ boom }", null },
    };

    [Fact]
    public void The_host_runs_in_the_development_environment()
    {
        Assert.True(silo.Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task An_error_answer_has_a_code_and_no_exception_details(string why, string query, string? variables)
    {
        var response = await silo.PostAsync(query, variables is null ? null : JsonNode.Parse(variables));

        Assert.True((int)response.Status is 200 or (>= 400 and < 500), $"{why}: HTTP {(int)response.Status}");
        var errors = Assert.IsType<JsonArray>(response.Body["errors"]);
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            var code = error!["extensions"]?["code"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(code), $"{why}: no code in {error.ToJsonString()}");
        }

        var text = response.Body.ToJsonString();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("GraphQL.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TiBillet.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret internal detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"details\"", text, StringComparison.Ordinal);
    }
}
