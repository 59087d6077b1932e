using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TiBillet.Silo.Tests.Deploy;

/// <summary>Reads the files under deploy/ and knows which setting names the silo and the reader agent really have.</summary>
internal static partial class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every document of a YAML file (anchors and merge keys resolved).</summary>
    public static IReadOnlyList<YamlMappingNode> Yaml(string relative)
    {
        using var reader = new StringReader(File.ReadAllText(PathOf(relative)));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    /// <summary>
    /// Whether <paramref name="key"/> (an environment variable) is a setting something reads: <c>Section__Property</c> of an
    /// options class of ours, or one of the host's and the Kubernetes hosting's own names.
    /// </summary>
    public static bool IsKnownSetting(string key)
    {
        if (HostSettings.Contains(key) || key.StartsWith("Logging__", StringComparison.Ordinal))
        {
            return true;
        }

        var parts = key.Split("__");
        if (parts is ["ConnectionStrings", "TiBillet"])
        {
            return true;
        }

        return parts.Length == 2 && OptionsTypes.TryGetValue(parts[0], out var type)
               && type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true };
    }

    private static readonly HashSet<string> HostSettings =
        ["Urls", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "POD_NAME", "POD_NAMESPACE", "POD_IP"];

    private static readonly Dictionary<string, Type> OptionsTypes = new[]
        {
            typeof(TiBillet.Silo.Hosting.SiloHostingOptions).Assembly,
            typeof(TiBillet.GraphQL.Execution.GraphQLApiOptions).Assembly,
            typeof(TiBillet.Grains.Customers.MailOptions).Assembly,
        }
        .SelectMany(a => a.GetTypes())
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Options", StringComparison.Ordinal))
        .GroupBy(t => t.Name)
        .ToDictionary(g => g.Key, g => g.First());

    /// <summary>The reader agent's settings, as its appsettings.json lists them all (section <c>ReaderAgent</c>).</summary>
    public static bool IsKnownReaderAgentSetting(string key)
    {
        var parts = key.Split("__");
        if (HostSettings.Contains(key) || key.StartsWith("Logging__", StringComparison.Ordinal))
        {
            return true;
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf("src/ReaderAgent/appsettings.json")));
        return parts.Length == 2 && parts[0] == "ReaderAgent" && json.RootElement.GetProperty("ReaderAgent").TryGetProperty(parts[1], out _);
    }

    /// <summary>The port of a URL setting such as <c>http://0.0.0.0:5080</c>.</summary>
    public static int PortOf(string url) => new Uri(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal)).Port;

    /// <summary><c>KEY=value</c> pairs of a Dockerfile's ENV instructions (continued lines joined).</summary>
    public static Dictionary<string, string> DockerEnv(string dockerfile)
    {
        var text = Regex.Replace(File.ReadAllText(PathOf(dockerfile)), @"\\\r?\n\s*", " ");
        return text.Split('\n')
            .Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => EnvPair().Matches(l[4..]))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")]
    private static partial Regex EnvPair();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiBillet.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
