using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TiBillet.ReaderAgent.Tests;

public sealed class ReaderAgentOptionsValidatorTests
{
    [Fact]
    public void Defaults_with_a_device_key_are_valid()
    {
        var result = new ReaderAgentOptionsValidator().Validate(null, new ReaderAgentOptions { DeviceKey = "k" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Bad_settings_are_each_named()
    {
        var options = new ReaderAgentOptions
        {
            ServerUrl = new Uri("ftp://example.invalid/graphql"),
            DeviceKey = " ",
            StatusTimeout = TimeSpan.Zero,
            RequestTimeout = TimeSpan.Zero,
            MaxRetryTime = TimeSpan.FromSeconds(-1),
        };

        var result = new ReaderAgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            ["ServerUrl", "DeviceKey", "StatusTimeout", "RequestTimeout", "MaxRetryTime"],
            result.Failures!.Select(failure => failure.Split(':')[1].Split(' ')[0]));
    }

    [Fact]
    public void Settings_bind_from_environment_variables_with_double_underscores()
    {
        const string Prefix = "TIBILLET_READER_AGENT_TESTS_";
        Environment.SetEnvironmentVariable(Prefix + "ReaderAgent__DeviceKey", "from-the-environment");
        Environment.SetEnvironmentVariable(Prefix + "ReaderAgent__MaxRetryTime", "00:00:12");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(Prefix).Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
            services.AddReaderAgent();
            using var provider = services.BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<ReaderAgentOptions>>().Value;

            Assert.Equal("from-the-environment", options.DeviceKey);
            Assert.Equal(TimeSpan.FromSeconds(12), options.MaxRetryTime);
            Assert.Equal(new Uri("http://127.0.0.1:5080/graphql"), options.ServerUrl);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Prefix + "ReaderAgent__DeviceKey", null);
            Environment.SetEnvironmentVariable(Prefix + "ReaderAgent__MaxRetryTime", null);
        }
    }
}
