using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace TiBillet.ReaderAgent.Tests.Rig;

/// <summary>
/// The reader agent as a real process (<c>dotnet TiBillet.ReaderAgent.dll</c>, built with the tests in the same
/// configuration, or the published single-file binary named by <see cref="BinaryVariable"/>), configured through environment variables as systemd would. Its console log is switched to JSON at
/// Debug for the agent's own categories, so a test can await what it did: readers added, taps sent, results.
/// </summary>
public sealed class ReaderAgentProcess : IAsyncDisposable
{
    // The agent's log templates a test waits on (TapForwarder and ReaderWatcher).
    public const string ReaderAddedTemplate = "Reader {ReaderName} added";
    public const string ServiceLostTemplate = "PC/SC service unavailable ({Operation}: {Error}); is pcscd running? Reconnecting with backoff";
    public const string ServiceBackTemplate = "PC/SC service is back; watching readers again";
    public const string RetryingTemplate = "Tap {TapId} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms with the same tap id";
    private const string CompletedTemplate = "Tap {TapId} on {ReaderName}: {Outcome}, amount {Amount}, {Attempts} attempt(s), {LatencyMs:F1} ms";
    private const string RejectedTemplate = "Tap {TapId} on {ReaderName} refused by the server: {Code} {Message}";
    private const string GaveUpTemplate = "Tap {TapId} on {ReaderName} dropped after {Attempts} attempt(s): server unavailable ({Reason})";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Environment variable naming a published agent binary (<c>scripts/test.sh</c> sets it) for the tests to run.</summary>
    public const string BinaryVariable = "TIBILLET_READER_AGENT_BINARY";

    /// <summary>The published agent binary the tests run, or null to run the build output through <c>dotnet</c>.</summary>
    public static string? PublishedBinary =>
        Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    private readonly Process _process;
    private readonly List<AgentLogEntry> _entries = [];
    private readonly List<string> _rawLines = [];
    private readonly Channel<AgentTap> _taps = Channel.CreateUnbounded<AgentTap>();
    private readonly ITestOutputHelper? _output;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ReaderAgentProcess(Process process, ITestOutputHelper? output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>Every parsed log line so far.</summary>
    public IReadOnlyList<AgentLogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The last lines of output, parsed or not, for failure messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_entries)
            {
                return string.Join(Environment.NewLine, _rawLines.TakeLast(40));
            }
        }
    }

    /// <summary>
    /// Starts the agent for one device and reader, and returns once it watches that reader (an event, not a delay).
    /// </summary>
    public static async Task<ReaderAgentProcess> StartAsync(Uri serverUrl, string deviceKey, string readerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The published single-file agent when CI built one (as a till PC runs it), else the build output through dotnet.
        var published = PublishedBinary;
        var info = published is not null
            ? new ProcessStartInfo(published) { WorkingDirectory = Path.GetDirectoryName(published)! }
            : new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TiBillet.ReaderAgent.dll")]) { WorkingDirectory = AppContext.BaseDirectory };
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["ReaderAgent__ServerUrl"] = serverUrl.ToString();
        info.Environment["ReaderAgent__DeviceKey"] = deviceKey;
        info.Environment["ReaderAgent__ReaderNameFilter"] = readerName;
        // Long enough to ride out a silo restart; the tests' own timeouts stay the upper bound.
        info.Environment["ReaderAgent__MaxRetryTime"] = "00:01:30";
        info.Environment["ReaderAgent__RequestTimeout"] = "00:00:10";
        info.Environment["Logging__Console__FormatterName"] = "json";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__TiBillet.ReaderAgent"] = "Debug";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var agent = new ReaderAgentProcess(process, TestContext.Current.TestOutputHelper);
        process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        process.Exited += (_, _) => agent.Signal();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await agent.WaitForAsync(e => e.Template == ReaderAddedTemplate && e["ReaderName"] == readerName, timeout, cancellationToken);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>The end of the next tap (in the order the agent finished them), within <paramref name="timeout"/>.</summary>
    public async Task<AgentTap> NextTapAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _taps.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The agent reported no tap within {timeout}. Its output:{Environment.NewLine}{RecentOutput}");
        }
    }

    /// <summary>True when a tap ended that no <see cref="NextTapAsync"/> has taken yet.</summary>
    public bool HasUnreadTap => _taps.Reader.TryPeek(out _);

    /// <summary>
    /// The first log entry at or after <paramref name="fromIndex"/> that matches, waiting for it for at most
    /// <paramref name="timeout"/>. Fails early if the process exits.
    /// </summary>
    public async Task<AgentLogEntry> WaitForAsync(Func<AgentLogEntry, bool> match, TimeSpan timeout, CancellationToken cancellationToken, int fromIndex = 0)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_entries)
            {
                for (var i = fromIndex; i < _entries.Count; i++)
                {
                    if (match(_entries[i]))
                    {
                        return _entries[i];
                    }
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The agent exited with code {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
                }

                fromIndex = _entries.Count;
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The agent did not log the awaited entry within {timeout}. Its output:{Environment.NewLine}{RecentOutput}");
            }
        }
    }

    /// <summary>How many entries have been logged so far (a starting point for <see cref="WaitForAsync"/>).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Stops the agent as systemd would (SIGTERM), then kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = LibC.Kill(_process.Id, LibC.SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            _output?.WriteLine("agent: " + line);
        }
        catch (InvalidOperationException)
        {
            // The test that started the agent has finished; its output is closed.
        }

        lock (_entries)
        {
            _rawLines.Add(line);
            if (Parse(line, _entries.Count) is { } entry)
            {
                _entries.Add(entry);
                if (ToTap(entry) is { } tap)
                {
                    _taps.Writer.TryWrite(tap);
                }
            }
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_entries)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private static AgentLogEntry? Parse(string line, int index)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var state = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (root.TryGetProperty("State", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in values.EnumerateObject())
                {
                    state[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => property.Value.GetString(),
                        _ => property.Value.GetRawText(),
                    };
                }
            }

            return new AgentLogEntry(
                index,
                root.TryGetProperty("LogLevel", out var level) ? level.GetString() ?? "" : "",
                root.TryGetProperty("Category", out var category) ? category.GetString() ?? "" : "",
                state.GetValueOrDefault("{OriginalFormat}") ?? "",
                root.TryGetProperty("Message", out var message) ? message.GetString() ?? "" : "",
                state);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static AgentTap? ToTap(AgentLogEntry entry)
    {
        if (entry["TapId"] is not { } tapId || entry["ReaderName"] is not { } readerName)
        {
            return null;
        }

        var attempts = int.TryParse(entry["Attempts"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) ? a : 1;
        return entry.Template switch
        {
            CompletedTemplate => new AgentTap(
                tapId, readerName, entry["Outcome"],
                long.TryParse(entry["Amount"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var amount) ? amount : null,
                attempts,
                double.TryParse(entry["LatencyMs"], NumberStyles.Float, CultureInfo.InvariantCulture, out var latency) ? latency : 0,
                null),
            RejectedTemplate => new AgentTap(tapId, readerName, null, null, attempts, 0, entry["Code"]),
            GaveUpTemplate => new AgentTap(tapId, readerName, null, null, attempts, 0, "UNAVAILABLE"),
            _ => null,
        };
    }
}
