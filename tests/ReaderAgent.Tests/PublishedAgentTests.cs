using System.Text.Json;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests;

/// <summary>The agent needs the base .NET runtime only, and CI's published binary is one self-contained file.</summary>
public sealed class PublishedAgentTests
{
    [Fact]
    public void The_agent_does_not_use_the_ASP_NET_Core_framework()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TiBillet.ReaderAgent.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list)
            ? list.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList()
            : [options.GetProperty("framework").GetProperty("name").GetString()];
        Assert.Equal(["Microsoft.NETCore.App"], frameworks.Select(f => f ?? "").ToList());
    }

    [Fact]
    public void The_published_agent_is_one_native_executable_with_its_settings_beside_it()
    {
        var binary = ReaderAgentProcess.PublishedBinary;
        if (binary is null)
        {
            Assert.Skip($"No published agent: scripts/test.sh publishes one and sets {ReaderAgentProcess.BinaryVariable}.");
        }

        var folder = Path.GetDirectoryName(binary)!;
        // Nothing but the executable and its settings: no runtime or library files beside it.
        Assert.Equal(["TiBillet.ReaderAgent", "appsettings.json"], Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        var header = new byte[4];
        using (var file = File.OpenRead(binary))
        {
            file.ReadExactly(header);
        }

        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, header);
        Assert.True(File.GetUnixFileMode(binary).HasFlag(UnixFileMode.UserExecute));
    }
}
