using System.Collections.Concurrent;
using System.Diagnostics;
using TiBillet.ReaderAgent.Pcsc;

namespace TiBillet.PcscRig;

/// <summary>
/// The real PC/SC daemon with the vpcd virtual-reader driver, run as a child process (it must run as root) by the
/// reader agent's tests and the taps benchmark. Installs pcscd and vsmartcard-vpcd when they are missing, stops a
/// system pcscd managed by systemd for the run (and starts it again afterwards), and can crash (SIGKILL) or restart
/// the daemon mid-test.
/// </summary>
public class PcscDaemonProcess : IAsyncDisposable
{
    public const string FirstReader = "Virtual PCD 00 00";
    public const string SecondReader = "Virtual PCD 00 01";

    private const string DaemonPath = "/usr/sbin/pcscd";
    private const string VpcdDriverPath = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
    private const string PidFile = "/run/pcscd/pcscd.pid";
    private const string SocketFile = "/run/pcscd/pcscd.comm";
    private const int LogLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // The pid of the daemon we started, kept on disk so that a run killed half-way can clean up its orphan by id.
    private static readonly string OwnPidFile = Path.Combine(Path.GetTempPath(), "tibillet-pcsc-rig-pcscd.pid");

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private bool _systemUnitsStopped;

    /// <summary>The daemon's last output lines, for failure messages.</summary>
    public string RecentLog => string.Join(Environment.NewLine, _log);

    /// <summary>Installs what is missing, makes room for our daemon and starts it (see <see cref="StartAsync"/>).</summary>
    public async ValueTask InitializeAsync()
    {
        if (LibC.GetEffectiveUserId() != 0)
        {
            throw new InvalidOperationException("The PC/SC rig runs the real pcscd, which needs root: run as root.");
        }

        await EnsureInstalledAsync();
        await StopOtherDaemonAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_systemUnitsStopped)
        {
            await RunAsync("systemctl", "start", "pcscd.socket");
        }
    }

    /// <summary>Starts pcscd and returns once both virtual readers are listed through our own binding.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("pcscd is already running.");
        }

        var info = new ProcessStartInfo(DaemonPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--foreground");
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await File.WriteAllTextAsync(OwnPidFile, process.Id.ToString(), cancellationToken);
        await WaitForReadersAsync(process, cancellationToken);
    }

    /// <summary>Stops pcscd as an operator would: SIGTERM, then SIGKILL if it lingers.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            _ = LibC.Kill(process.Id, LibC.SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        File.Delete(OwnPidFile);
    }

    /// <summary>Crashes pcscd (SIGKILL): no clean-up, every client handle dies at once.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        process.Kill();
        await process.WaitForExitAsync(); // Reaps it, so the next pcscd sees its pid file as stale.
        process.Dispose();
        File.Delete(OwnPidFile);
    }

    /// <summary>
    /// Waits until <paramref name="readerName"/> reports a card (or no card), through a PC/SC context of its own: an
    /// event to await instead of a guessed delay.
    /// </summary>
    public static Task WaitForCardAsync(string readerName, bool present, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                using var context = PcscContext.Establish();
                WaitForCard(context, readerName, present, cancellationToken);
            },
            cancellationToken);

    /// <summary>The same on the caller's context and thread (blocking), for callers that time each step.</summary>
    public static void WaitForCard(PcscContext context, string readerName, bool present, CancellationToken cancellationToken)
    {
        var state = new PcscReaderState(readerName);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (context.GetStatusChange([state], TimeSpan.FromMilliseconds(250)))
            {
                if (state.EventFlags.HasFlag(PcscReaderStates.Present) == present)
                {
                    return;
                }

                state.Acknowledge();
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > LogLines && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitForReadersAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"pcscd exited with code {process.ExitCode}:{Environment.NewLine}{RecentLog}");
            }

            try
            {
                using var context = PcscContext.Establish();
                var readers = context.ListReaders();
                if (readers.Contains(FirstReader) && readers.Contains(SecondReader))
                {
                    return;
                }
            }
            catch (PcscException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"pcscd did not list the virtual readers within {StartTimeout}:{Environment.NewLine}{RecentLog}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(DaemonPath) && File.Exists(VpcdDriverPath))
        {
            return;
        }

        string[] install = ["install", "-y", "--no-install-recommends", "pcscd", "vsmartcard-vpcd"];
        if (await RunAsync("apt-get", install) != 0)
        {
            // A fresh machine has no package lists yet.
            await RunAsync("apt-get", "update");
            if (await RunAsync("apt-get", install) != 0)
            {
                throw new InvalidOperationException("Could not install pcscd and vsmartcard-vpcd with apt-get.");
            }
        }
    }

    /// <summary>
    /// Makes room for our daemon: a systemd-managed pcscd (or its socket) is stopped for the run; our own orphan from
    /// an interrupted run is killed by its recorded pid; stale files of a dead daemon are removed. Any other live
    /// pcscd is left alone and the run fails with a clear message.
    /// </summary>
    private async Task StopOtherDaemonAsync()
    {
        if (Directory.Exists("/run/systemd/system")
            && (await RunAsync("systemctl", "is-active", "--quiet", "pcscd.socket") == 0
                || await RunAsync("systemctl", "is-active", "--quiet", "pcscd.service") == 0))
        {
            await RunAsync("systemctl", "stop", "pcscd.socket", "pcscd.service");
            _systemUnitsStopped = true;
        }

        if (File.Exists(OwnPidFile) && int.TryParse(await File.ReadAllTextAsync(OwnPidFile), out var orphan) && IsLivePcscd(orphan))
        {
            _ = LibC.Kill(orphan, LibC.SigKill);
            var waited = Stopwatch.StartNew();
            while (IsLivePcscd(orphan) && waited.Elapsed < StopTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        if (File.Exists(PidFile) && int.TryParse((await File.ReadAllTextAsync(PidFile)).Trim(), out var pid))
        {
            if (IsLivePcscd(pid))
            {
                throw new InvalidOperationException($"Another pcscd (pid {pid}) is running; stop it first.");
            }

            // pcscd itself refuses to start while the pid file names a process that still exists (a zombie, say).
            File.Delete(PidFile);
            File.Delete(SocketFile);
        }
    }

    private static bool IsLivePcscd(int pid)
    {
        // /proc/<pid>/stat: "pid (comm) state ..."; a zombie (Z) or dead (X) process is no daemon.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        var text = File.ReadAllText(stat);
        var close = text.LastIndexOf(')');
        return text.Contains("(pcscd)", StringComparison.Ordinal) && close > 0 && close + 2 < text.Length && text[close + 2] is not ('Z' or 'X');
    }

    private static async Task<int> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
