using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TiBillet.Testing;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (one page, a WebSocket from here): navigate, evaluate
/// JavaScript, wait for a condition. scripts/test.sh installs the <c>chromium</c> package.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? Binary() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        var binary = Binary() ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium; scripts/test.sh does it as root).");
        var profile = Directory.CreateTempSubdirectory("tibillet-chromium-");
        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Chromium did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync(cancellationToken);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Chromium writes the port it chose to DevToolsActivePort in its profile.
        var portFile = Path.Combine(_profile.FullName, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int port;
        while (true)
        {
            if (File.Exists(portFile) && File.ReadAllLines(portFile) is [var first, ..] && int.TryParse(first, out port))
            {
                break;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("Chromium did not open its DevTools port.");
            }

            await Task.Delay(100, cancellationToken);
        }

        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list", cancellationToken)
                      ?? throw new InvalidOperationException("No DevTools targets.");
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await _socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), cancellationToken);
    }

    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken) =>
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its JSON value (null for undefined).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException("Page script failed: " + error.ToJsonString());
        }

        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Evaluates <paramref name="expression"/> until it yields a truthy value; returns that value.</summary>
    public async Task<JsonNode> WaitForAsync(string expression, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await EvaluateAsync(expression, cancellationToken);
            if (last is not null && !(last.GetValueKind() == JsonValueKind.False) && !(last.GetValueKind() == JsonValueKind.String && last.GetValue<string>().Length == 0))
            {
                return last;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The page never satisfied: {expression} (last value: {last?.ToJsonString() ?? "undefined"})");
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult chunk;
            do
            {
                chunk = await _socket.ReceiveAsync(buffer, cancellationToken);
                received.Write(buffer, 0, chunk.Count);
            }
            while (!chunk.EndOfMessage);

            // Events and other answers are skipped: one call is in flight at a time.
            var answer = JsonNode.Parse(received.ToArray())!.AsObject();
            if (answer["id"]?.GetValue<int>() == id)
            {
                return answer["error"] is { } error
                    ? throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}")
                    : answer["result"]!.AsObject();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp folder is cleaned up later anyway.
        }
    }
}
