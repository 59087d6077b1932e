using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TiBillet.Testing;

/// <summary>
/// The silo as a real child process (<c>dotnet TiBillet.Silo.dll</c>) on a given database, so a test can kill it with
/// SIGKILL and start it again, as a power cut or an OOM kill would.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly int _siloPort = FreePort.Next();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public SiloProcess(string connectionString)
    {
        _connectionString = connectionString;
        HttpPort = FreePort.Next();
        Client = new GraphQLTestClient(() => new Uri($"http://127.0.0.1:{HttpPort}/graphql"));
    }

    public int HttpPort { get; }

    public GraphQLTestClient Client { get; }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the process and waits until /health/ready answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TiBillet.Silo.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("tibillet-silo-").FullName,
        };
        info.Environment["ConnectionStrings__TiBillet"] = _connectionString;
        info.Environment["Urls"] = $"http://127.0.0.1:{HttpPort}";
        info.Environment["SiloHostingOptions__ClusterId"] = "process";
        // The same silo port on restart lets Orleans recognise its own previous incarnation and declare it dead at once.
        info.Environment["SiloHostingOptions__SiloPort"] = _siloPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["BootstrapOptions__AdminEmail"] = SiloHostFixture.AdminEmail;
        info.Environment["BootstrapOptions__AdminSecret"] = SiloHostFixture.AdminSecret;
        info.Environment["DemoSeedOptions__Enabled"] = "false";
        // Several test silos run on this machine at once: none takes the default metrics port.
        info.Environment["ObservabilityOptions__MetricsUrl"] = "";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the silo process.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited ({_process.ExitCode}):\n{Output}");
            }

            try
            {
                using var ready = await Client.Http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort}/health/ready"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silo process did not become ready:\n{Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
    }
}
