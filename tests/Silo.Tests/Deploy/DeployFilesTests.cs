using System.Text.RegularExpressions;
using TiBillet.Grains.Common;
using YamlDotNet.RepresentationModel;

namespace TiBillet.Silo.Tests.Deploy;

/// <summary>
/// No container engine or Kubernetes runs here: these tests parse the files under deploy/ and check that they name the
/// settings, ports, paths and images the silo and the reader agent really have, so a renamed option breaks a test, not a
/// deployment.
/// </summary>
public sealed class DeployFilesTests
{
    private const int HttpPort = 5080;
    private const int SiloPort = 11111;
    private const int MetricsPort = 9464;

    [Fact]
    public void Compose_runs_postgres_two_silos_and_one_proxy_with_real_settings()
    {
        var compose = DeployFiles.Yaml("deploy/compose/compose.yaml").Single();
        var services = (YamlMappingNode)compose.Get("services")!;
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        Assert.Equal(["postgres", "silo1", "silo2", "proxy"], names);

        foreach (var silo in new[] { "silo1", "silo2" })
        {
            var service = services.Get(silo)!;
            Assert.Equal("tibillet/silo:latest", service.Text("image"));
            var env = Environment(service.Get("environment")!);
            Assert.All(env.Keys, key => Assert.True(DeployFiles.IsKnownSetting(key), $"{silo}: {key} is no setting of the silo"));
            Assert.Equal(silo, env["SiloHostingOptions__AdvertisedAddress"]);
            Assert.Equal("compose", env["SiloHostingOptions__ClusterId"]);
            Assert.Equal(SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), env["SiloHostingOptions__SiloPort"]);
            Assert.Equal(HttpPort, DeployFiles.PortOf(env["Urls"]));
            Assert.Equal(MetricsPort, DeployFiles.PortOf(env["ObservabilityOptions__MetricsUrl"]));
            Assert.Contains("Host=postgres;", env["ConnectionStrings__TiBillet"], StringComparison.Ordinal);
            // Only the proxy is published: no silo, metrics or database port reaches the host.
            Assert.Null(service.Get("ports"));
        }

        var build = services.Get("silo1", "build")!;
        Assert.True(File.Exists(Path.Combine(DeployFiles.PathOf("deploy/compose"), build.Text("context")!, build.Text("dockerfile")!)));
        Assert.Null(services.Get("postgres", "ports"));
        var published = ((YamlSequenceNode)services.Get("proxy", "ports")!).Children.Select(p => ((YamlScalarNode)p).Value).ToList();
        Assert.Equal(["127.0.0.1:8080:80"], published);

        // The proxy sends to both silos' API port and asks their readiness.
        var caddy = File.ReadAllText(DeployFiles.PathOf("deploy/compose/Caddyfile"));
        Assert.Matches($@"reverse_proxy silo1:{HttpPort} silo2:{HttpPort}", caddy);
        Assert.Contains("health_uri /health/ready", caddy, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_silos_use_the_kubernetes_hosting_with_matching_labels_ports_and_probes()
    {
        var documents = DeployFiles.Yaml("deploy/kubernetes/silo.yaml").Concat(DeployFiles.Yaml("deploy/kubernetes/rbac.yaml")).ToList();
        var deployment = documents.Single(d => d.Text("kind") == "Deployment");
        var pod = deployment.Get("spec", "template")!;
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Get("spec", "containers")!).Children.Single();
        Assert.Equal("tibillet/silo:latest", container.Text("image"));

        var env = ((YamlSequenceNode)container.Get("env")!).Children.ToDictionary(e => e.Text("name")!, e => e.Text("value"));
        Assert.All(env.Keys, key => Assert.True(DeployFiles.IsKnownSetting(key), $"{key} is no setting of the silo"));
        Assert.Equal("true", env["SiloHostingOptions__UseKubernetesHosting"]);
        Assert.Contains("POD_NAME", env.Keys);
        Assert.Contains("POD_NAMESPACE", env.Keys);
        Assert.Contains("POD_IP", env.Keys);
        Assert.Contains("ConnectionStrings__TiBillet", env.Keys);
        // The hosting finds its cluster's pods by these labels: they must be the silo's own ServiceId and ClusterId.
        Assert.Equal(StorageNames.ServiceId, pod.Text("metadata", "labels", "orleans/serviceId"));
        Assert.Equal(env["SiloHostingOptions__ClusterId"], pod.Text("metadata", "labels", "orleans/clusterId"));

        var ports = ((YamlSequenceNode)container.Get("ports")!).Children.ToDictionary(p => p.Text("name")!, p => int.Parse(p.Text("containerPort")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DeployFiles.PortOf(env["Urls"]!), ports["http"]);
        Assert.Equal(int.Parse(env["SiloHostingOptions__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture), ports["silo"]);
        Assert.Equal(DeployFiles.PortOf(env["ObservabilityOptions__MetricsUrl"]!), ports["metrics"]);
        Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("http", container.Text("readinessProbe", "httpGet", "port"));
        Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));

        // The API service exposes the API port only; the pod runs as the image's unprivileged user with the RBAC account.
        var service = documents.Single(d => d.Text("kind") == "Service");
        Assert.Equal(["http"], ((YamlSequenceNode)service.Get("spec", "ports")!).Children.Select(p => p.Text("targetPort")).ToList());
        Assert.Equal("true", pod.Text("spec", "securityContext", "runAsNonRoot"));
        var account = pod.Text("spec", "serviceAccountName");
        Assert.Contains(documents, d => d.Text("kind") == "ServiceAccount" && d.Text("metadata", "name") == account);
        Assert.Contains(documents, d => d.Text("kind") == "RoleBinding" && ((YamlSequenceNode)d.Get("subjects")!).Children.Any(s => s.Text("name") == account));
    }

    [Fact]
    public void Dockerfiles_build_the_real_projects_as_an_unprivileged_user()
    {
        var silo = File.ReadAllText(DeployFiles.PathOf("deploy/docker/silo.Dockerfile"));
        Assert.Contains("dotnet publish src/Silo/TiBillet.Silo.csproj", silo, StringComparison.Ordinal);
        Assert.True(File.Exists(DeployFiles.PathOf("src/Silo/TiBillet.Silo.csproj")));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"TiBillet.Silo.dll\"]", silo, StringComparison.Ordinal);
        Assert.Matches(new Regex("^USER app$", RegexOptions.Multiline), silo);
        var siloEnv = DeployFiles.DockerEnv("deploy/docker/silo.Dockerfile");
        Assert.All(siloEnv.Keys, key => Assert.True(DeployFiles.IsKnownSetting(key), $"silo image: {key} is no setting of the silo"));
        var exposed = Regex.Match(silo, @"^EXPOSE (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(' ').Select(int.Parse).Order().ToArray();
        Assert.Equal(new[] { HttpPort, MetricsPort, SiloPort }.Order().ToArray(), exposed);
        Assert.Equal(HttpPort, DeployFiles.PortOf(siloEnv["Urls"]));
        Assert.Equal(MetricsPort, DeployFiles.PortOf(siloEnv["ObservabilityOptions__MetricsUrl"]));

        var agent = File.ReadAllText(DeployFiles.PathOf("deploy/docker/reader-agent.Dockerfile"));
        Assert.Contains("dotnet publish src/ReaderAgent/TiBillet.ReaderAgent.csproj", agent, StringComparison.Ordinal);
        Assert.Contains("--self-contained", agent, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/app/TiBillet.ReaderAgent\"]", agent, StringComparison.Ordinal);
        Assert.Matches(new Regex("^USER app$", RegexOptions.Multiline), agent);
        Assert.Matches(new Regex(@"^FROM \S+ AS build$", RegexOptions.Multiline), agent);
    }

    [Fact]
    public void Systemd_units_start_the_published_binaries_with_real_settings()
    {
        foreach (var (unit, binary, isAgent) in new[]
                 {
                     ("deploy/systemd/tibillet-silo.service", "TiBillet.Silo", false),
                     ("deploy/systemd/tibillet-reader-agent.service", "TiBillet.ReaderAgent", true),
                 })
        {
            var text = File.ReadAllText(DeployFiles.PathOf(unit));
            Assert.Matches(new Regex($@"^ExecStart=/opt/tibillet/[a-z-]+/{Regex.Escape(binary)}$", RegexOptions.Multiline), text);
            // Environment= lines and the documented env-file lines (comments "#   Key=value").
            var keys = Regex.Matches(text, @"^(?:Environment=|#\s+)([A-Za-z_]+(?:__[A-Za-z]+)*)=", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.True(isAgent ? DeployFiles.IsKnownReaderAgentSetting(key) : DeployFiles.IsKnownSetting(key), $"{unit}: {key} is no setting"));
        }
    }

    private static Dictionary<string, string> Environment(YamlNode node) =>
        ((YamlMappingNode)node).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "");
}
