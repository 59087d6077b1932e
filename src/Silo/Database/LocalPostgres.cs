using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TiBillet.Silo.Database;

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, started from the machine's binaries.
/// The default run and the test harness both use it, so tests exercise the same start-up path as a venue's laptop.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    private const string SuperUser = "tibillet";

    /// <summary>Where a root run keeps clusters the 'postgres' OS user could not reach in the configured place.</summary>
    public const string RootFallbackDirectory = "/var/lib/tibillet";

    private readonly string _dataDirectory;
    private readonly string _passwordFile;
    private readonly string _binDirectory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _server;
    private int _serverPid;
    private Dictionary<string, string> _settings = [];
    private bool _disposed;

    private LocalPostgres(string dataDirectory, string passwordFile, string binDirectory, ILogger logger)
    {
        _dataDirectory = dataDirectory;
        _passwordFile = passwordFile;
        _binDirectory = binDirectory;
        _logger = logger;
    }

    /// <summary>The cluster's folder: the configured one, or under <see cref="RootFallbackDirectory"/> (see <see cref="StartAsync"/>).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Loopback port the server listens on.</summary>
    public int Port { get; private set; }

    private string Password { get; set; } = "";

    /// <summary>Connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
        // Room for the ledger writer, the Orleans providers, read queries and a benchmark's naive clients.
        MaxPoolSize = 90,
    }.ConnectionString;

    /// <summary>
    /// Initialises the cluster on first use, starts it on a free loopback port and creates <paramref name="database"/>.
    /// As root the server runs as the 'postgres' OS user; when that user cannot reach the configured folder (a clone
    /// under /root, mode 700), the cluster lives in <see cref="RootFallbackDirectory"/>/&lt;hash of the configured
    /// path&gt;/postgres instead, and the password file stays in the configured place.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory(options.BinDirectory) ?? throw new PostgresNotInstalledException();
        var data = Path.GetFullPath(options.DataDirectory);
        var server = new LocalPostgres(ClusterDirectory(data, logger), data + ".password", bin, logger);
        await server.InitialiseAsync(cancellationToken);
        await server.StartServerAsync(options.Settings, cancellationToken);
        await server.CreateDatabaseAsync(options.Database, cancellationToken);
        return server;
    }

    /// <summary>Finds a folder holding initdb and postgres: configured, then <c>pg_config --bindir</c>, then the newest Debian version.</summary>
    public static string? FindBinDirectory(string? configured)
    {
        static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        var fromPgConfig = RunForOutput("pg_config", "--bindir");
        if (fromPgConfig is not null && HasServer(fromPgConfig.Trim()))
        {
            return fromPgConfig.Trim();
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => HasServer(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static bool RunningAsRoot => NativeMethods.geteuid() == 0;

    private string PasswordFile => _passwordFile;

    /// <summary>The configured folder, unless a root run's 'postgres' user cannot reach it and it holds no cluster yet.</summary>
    private static string ClusterDirectory(string configured, ILogger logger)
    {
        var parent = Path.GetDirectoryName(configured)!;
        Directory.CreateDirectory(parent);
        if (!RunningAsRoot || File.Exists(Path.Combine(configured, "PG_VERSION")))
        {
            return configured;
        }

        // The folder's own parent is opened to the 'postgres' user below; the question is every folder above it.
        if (PostgresUserCanEnter(Path.GetDirectoryName(parent) ?? parent))
        {
            return configured;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configured)))[..16];
        var relocated = Path.Combine(RootFallbackDirectory, hash, "postgres");
        LogRelocated(logger, configured, relocated);
        return relocated;
    }

    private static bool PostgresUserCanEnter(string directory)
    {
        using var test = Process.Start(new ProcessStartInfo("runuser", ["-u", "postgres", "--", "test", "-x", directory])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start runuser.");
        test.WaitForExit();
        return test.ExitCode == 0;
    }

    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dataDirectory)!);
        Directory.CreateDirectory(Path.GetDirectoryName(_passwordFile)!);
        if (File.Exists(PasswordFile))
        {
            Password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
        }

        if (File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            if (Password.Length > 0)
            {
                return;
            }

            // A cluster nobody can open any more: typically left under /var/lib/tibillet by an earlier clone at the same
            // path, whose password file went with that clone. It is kept, moved aside, and a new cluster is made, so a
            // fresh clone's first run does not stop on it.
            await StopOrphanAsync(cancellationToken);
            var aside = $"{_dataDirectory}.orphaned-{DateTime.UtcNow:yyyyMMddHHmmss}";
            Directory.Move(_dataDirectory, aside);
            LogMovedAside(_logger, _dataDirectory, PasswordFile, aside);
        }

        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(PasswordFile, Password, cancellationToken);
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Directory.CreateDirectory(_dataDirectory);
        File.SetUnixFileMode(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // initdb reads the superuser password from a file; it lives only for the call.
        var pwFile = Path.Combine(_dataDirectory, "..", $".initdb-{Environment.ProcessId}.pw");
        await File.WriteAllTextAsync(pwFile, Password, cancellationToken);
        try
        {
            if (RunningAsRoot)
            {
                // initdb refuses to run as root: the cluster belongs to the 'postgres' OS user, who must reach the folder.
                var parent = Path.GetDirectoryName(_dataDirectory)!;
                File.SetUnixFileMode(parent, File.GetUnixFileMode(parent) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
                Chown(_dataDirectory);
                Chown(pwFile);
            }

            LogInitialising(_logger, _dataDirectory);
            await RunToCompletionAsync(Path.Combine(_binDirectory, "initdb"),
                ["-D", _dataDirectory, "-U", SuperUser, "--pwfile", Path.GetFullPath(pwFile), "-E", "UTF8", "--locale=C", "--auth=scram-sha-256", "--no-instructions"],
                cancellationToken);
        }
        finally
        {
            File.Delete(pwFile);
        }
    }

    private async Task StartServerAsync(Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        await StopOrphanAsync(cancellationToken);
        _settings = settings;
        Port = FreeLoopbackPort();
        await LaunchAsync(cancellationToken);
    }

    /// <summary>The server's postmaster process id (what <c>postmaster.pid</c> names).</summary>
    public int ServerPid => _serverPid;

    /// <summary>Completes when the server process exits, for whatever reason.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) =>
        _server?.WaitForExitAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Starts the server again after it died, on the same port (the silo's connection string names it) and with the same
    /// settings. A <c>postmaster.pid</c> whose process is gone is removed first. Does nothing while the server runs.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is { HasExited: false })
            {
                return;
            }

            _server?.Dispose();
            _server = null;
            RemoveStalePidFile();
            await LaunchAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// PostgreSQL refuses to start beside a lock file whose pid is alive; after a SIGKILL that pid may already belong to
    /// another process. Only a file naming a gone process (or a zombie) is removed: a live postmaster is never touched.
    /// </summary>
    private void RemoveStalePidFile()
    {
        if (ReadPostmasterPid() is { } pid && (NativeMethods.kill(pid, 0) != 0 || IsZombie(pid)))
        {
            LogRemovingStalePidFile(_logger, pid);
            File.Delete(Path.Combine(_dataDirectory, "postmaster.pid"));
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        List<string> args =
        [
            "-D", _dataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            // No Unix socket: the default socket folder may not exist or be writable, and we only talk TCP.
            "-c", "unix_socket_directories=",
            "-c", "max_connections=200",
            // New WAL segments are not zero-filled first: filling 16 MB stalled every commit behind it for tens of
            // milliseconds (seen as latency spikes under load). Durability is unchanged: WAL is still fsynced on commit.
            "-c", "wal_init_zero=off",
        ];
        foreach (var (name, value) in _settings)
        {
            args.Add("-c");
            args.Add($"{name}={value}");
        }

        _server = Process.Start(CreateStartInfo(Path.Combine(_binDirectory, "postgres"), args, redirect: true))
                  ?? throw new InvalidOperationException("Could not start postgres.");
        _server.OutputDataReceived += (_, e) => { if (e.Data is not null) { LogServerLine(_logger, e.Data); } };
        _server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { LogServerLine(_logger, e.Data); } };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_server.HasExited)
            {
                throw new PostgresStartException($"postgres exited with code {_server.ExitCode} while starting; see the log above.");
            }

            try
            {
                await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
                await conn.OpenAsync(cancellationToken);
                break;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == "57P03" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        _serverPid = ReadPostmasterPid() ?? _server.Id;
        LogStarted(_logger, Port, _dataDirectory);
    }

    private async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Creates another database on this server (tests use one per cluster fixture).</summary>
    public Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(database, cancellationToken);

    /// <summary>A server left running by a process that was killed would hold the folder; stop it first.</summary>
    private async Task StopOrphanAsync(CancellationToken cancellationToken)
    {
        if (ReadPostmasterPid() is not { } pid || NativeMethods.kill(pid, 0) != 0)
        {
            return;
        }

        LogStoppingOrphan(_logger, pid);
        await SignalAndWaitAsync(pid, cancellationToken);
    }

    private int? ReadPostmasterPid()
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task SignalAndWaitAsync(int pid, CancellationToken cancellationToken)
    {
        // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
        NativeMethods.kill(pid, NativeMethods.SIGINT);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (NativeMethods.kill(pid, 0) == 0 && !IsZombie(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                NativeMethods.kill(pid, NativeMethods.SIGKILL);
                break;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..];
            return afterName.StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Fast shutdown of the server; waits until it has exited.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            _disposed = true;
            await StopServerAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StopServerAsync()
    {
        if (_server is null)
        {
            return;
        }

        if (!_server.HasExited)
        {
            await SignalAndWaitAsync(_serverPid, CancellationToken.None);
        }

        try
        {
            await _server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (OperationCanceledException)
        {
            _server.Kill(entireProcessTree: true);
        }

        _server.Dispose();
        _server = null;
        LogStopped(_logger, _dataDirectory);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo CreateStartInfo(string file, IReadOnlyList<string> args, bool redirect)
    {
        var info = RunningAsRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (RunningAsRoot)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.UseShellExecute = false;
        info.RedirectStandardOutput = redirect;
        info.RedirectStandardError = redirect;
        info.Environment["LC_ALL"] = "C";
        return info;
    }

    private async Task RunToCompletionAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var process = Process.Start(CreateStartInfo(file, args, redirect: true)) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static void Chown(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", ["-R", "postgres:postgres", path]) { UseShellExecute = false })!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown postgres {path} failed; does the 'postgres' OS user exist?");
        }
    }

    private static string? RunForOutput(string file, string arg)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null)
            {
                return null;
            }

            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The 'postgres' OS user cannot reach {Configured}: the private PostgreSQL cluster is kept in {Relocated} instead")]
    private static partial void LogRelocated(ILogger logger, string configured, string relocated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL cluster in {DataDirectory} has no password file ({PasswordFile}): it was moved to {Aside} and a new cluster is made")]
    private static partial void LogMovedAside(ILogger logger, string dataDirectory, string passwordFile, string aside);

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising a private PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitialising(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL listening on 127.0.0.1:{Port} ({DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL stopped ({DataDirectory})")]
    private static partial void LogStopped(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping a PostgreSQL server (pid {Pid}) left running on this data folder by an earlier process")]
    private static partial void LogStoppingOrphan(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the stale postmaster.pid of the private PostgreSQL (pid {Pid} is gone)")]
    private static partial void LogRemovingStalePidFile(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "postgres: {Line}")]
    private static partial void LogServerLine(ILogger logger, string line);
}
