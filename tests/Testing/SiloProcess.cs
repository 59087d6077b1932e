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
    private readonly string? _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int _siloPort = FreePort.Next();
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>
    /// A silo on <paramref name="connectionString"/>, or, when it is null, the default run managing its own private
    /// PostgreSQL in <see cref="WorkingDirectory"/>. <paramref name="settings"/> are extra configuration keys
    /// (<c>Section__Key</c> environment names), applied after the defaults.
    /// </summary>
    public SiloProcess(string? connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        HttpPort = FreePort.Next();
        Client = new GraphQLTestClient(() => new Uri($"http://127.0.0.1:{HttpPort}/graphql"));
        // Readable by the 'postgres' OS user, so a root run keeps its private cluster here rather than relocating it.
        WorkingDirectory = Directory.CreateTempSubdirectory("tibillet-silo-").FullName;
        File.SetUnixFileMode(WorkingDirectory, File.GetUnixFileMode(WorkingDirectory) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public int HttpPort { get; }

    /// <summary>The Orleans silo port, kept across restarts.</summary>
    public int SiloPort => _siloPort;

    /// <summary>The process's working directory (the default run keeps <c>.tibillet/postgres</c> here).</summary>
    public string WorkingDirectory { get; }

    /// <summary>The running process's id.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("Not running.");

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

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
            WorkingDirectory = WorkingDirectory,
        };
        if (_connectionString is not null)
        {
            info.Environment["ConnectionStrings__TiBillet"] = _connectionString;
        }

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
        foreach (var (key, value) in _settings)
        {
            info.Environment[key] = value;
        }

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

    /// <summary>SIGSTOP: the process freezes (no thread runs, sockets stay open), as a long GC pause or a hung VM would.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: a frozen process carries on where it stopped.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                         ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync();
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
        if (_process is { HasExited: false })
        {
            // A frozen process ignores nothing but SIGKILL; resuming first lets its children be found and killed.
            await ResumeAsync();
        }

        await KillAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
