using System.Diagnostics;
using System.Globalization;
using TiBillet.ReaderAgent.Pcsc;

namespace TiBillet.Bench.Taps;

/// <summary>
/// The real PC/SC daemon with the vpcd virtual readers, started by the benchmark as a child process (it needs root) and
/// stopped by its pid afterwards. Installs pcscd and vsmartcard-vpcd when missing; a systemd-managed pcscd is stopped
/// for the run and started again afterwards.
/// </summary>
public sealed class PcscDaemonProcess : IAsyncDisposable
{
    public static readonly string[] Readers = ["Virtual PCD 00 00", "Virtual PCD 00 01"];

    private const string DaemonPath = "/usr/sbin/pcscd";
    private const string VpcdDriverPath = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
    private const string PidFile = "/run/pcscd/pcscd.pid";
    private const string SocketFile = "/run/pcscd/pcscd.comm";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly bool _systemUnitsStopped;

    private PcscDaemonProcess(Process process, bool systemUnitsStopped)
    {
        _process = process;
        _systemUnitsStopped = systemUnitsStopped;
    }

    public static async Task<PcscDaemonProcess> StartAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("The taps benchmark runs the real pcscd, which needs root: run it as root.");
        }

        if (!File.Exists(DaemonPath) || !File.Exists(VpcdDriverPath))
        {
            string[] install = ["install", "-y", "--no-install-recommends", "pcscd", "vsmartcard-vpcd"];
            if (await RunAsync("apt-get", install) != 0 && (await RunAsync("apt-get", "update") != 0 || await RunAsync("apt-get", install) != 0))
            {
                throw new InvalidOperationException("Could not install pcscd and vsmartcard-vpcd with apt-get.");
            }
        }

        var stopped = false;
        if (Directory.Exists("/run/systemd/system")
            && (await RunAsync("systemctl", "is-active", "--quiet", "pcscd.socket") == 0 || await RunAsync("systemctl", "is-active", "--quiet", "pcscd.service") == 0))
        {
            await RunAsync("systemctl", "stop", "pcscd.socket", "pcscd.service");
            stopped = true;
        }

        ClearStaleDaemonFiles();
        var info = new ProcessStartInfo(DaemonPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--foreground");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new PcscDaemonProcess(process, stopped);
        try
        {
            await daemon.WaitForReadersAsync();
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>Waits until pcscd reports <paramref name="readerName"/> with (or without) a card: an event, not a delay.</summary>
    public static void WaitForCard(PcscContext context, string readerName, bool present, TimeSpan timeout)
    {
        var state = new PcscReaderState(readerName);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (context.GetStatusChange([state], TimeSpan.FromMilliseconds(250)))
            {
                if (state.EventFlags.HasFlag(PcscReaderStates.Present) == present)
                {
                    return;
                }

                state.Acknowledge();
            }
        }

        throw new TimeoutException($"{readerName} did not report {(present ? "a card" : "no card")} within {timeout}.");
    }

    /// <summary>Stops pcscd by its pid (SIGTERM, then SIGKILL), and gives a systemd-managed pcscd back its socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await RunAsync("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        if (_systemUnitsStopped)
        {
            await RunAsync("systemctl", "start", "pcscd.socket");
        }
    }

    /// <summary>pcscd refuses to start while its pid file names a process; files of a dead daemon are removed.</summary>
    private static void ClearStaleDaemonFiles()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        var stat = $"/proc/{pid}/stat";
        var text = File.Exists(stat) ? File.ReadAllText(stat) : "";
        var close = text.LastIndexOf(')');
        if (text.Contains("(pcscd)", StringComparison.Ordinal) && close > 0 && close + 2 < text.Length && text[close + 2] is not ('Z' or 'X'))
        {
            throw new InvalidOperationException($"Another pcscd (pid {pid}) is running; stop it before running this benchmark.");
        }

        File.Delete(PidFile);
        File.Delete(SocketFile);
    }

    private async Task WaitForReadersAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"pcscd exited with code {_process.ExitCode} (is another pcscd running?).");
            }

            try
            {
                using var context = PcscContext.Establish();
                var listed = context.ListReaders();
                if (Readers.All(listed.Contains))
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
                throw new TimeoutException($"pcscd did not list the virtual readers within {StartTimeout}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static async Task<int> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
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
