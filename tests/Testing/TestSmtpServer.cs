using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace TiBillet.Testing;

/// <summary>
/// A real SMTP server inside the test process (the SmtpServer package) on a free loopback port. The silo under test sends
/// its mail here through MailKit, as it would to a real relay; tests wait for a recipient's next message.
/// </summary>
public sealed partial class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Channel> _inboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer _server = null!;
    private Task _running = Task.CompletedTask;

    public TestSmtpServer()
    {
        // A free port can be taken by another test process between the probe and the bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var options = new SmtpServerOptionsBuilder()
                .ServerName("localhost")
                .Endpoint(e => e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Port)))
                .Build();
            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(new Store(this));
            _server = new SmtpServer.SmtpServer(options, services);
            _running = _server.StartAsync(_stop.Token);
            // The bind happens at once; a server still running after a moment holds its port.
            if (Task.WaitAny([_running], TimeSpan.FromMilliseconds(200)) < 0 || !_running.IsFaulted || attempt == 5)
            {
                return;
            }
        }
    }

    public int Port { get; private set; }

    /// <summary>Every message received so far.</summary>
    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>The next message to <paramref name="email"/> not yet taken (waits up to 30 s).</summary>
    public async Task<MimeMessage> NextMessageAsync(string email, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await InboxOf(email).Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when a message to <paramref name="email"/> is waiting (nothing is taken).</summary>
    public bool HasMessage(string email) => InboxOf(email).Reader.Count > 0;

    /// <summary>The six-digit code and the link's token of a sign-in message.</summary>
    public static (string Code, string Token) SignInSecrets(MimeMessage message)
    {
        var text = message.TextBody ?? "";
        return (CodePattern().Match(text).Groups[1].Value, TokenPattern().Match(text).Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private System.Threading.Channels.Channel<MimeMessage> InboxOf(string email) => _inboxes.GetOrAdd(email.Trim(), _ => new Channel()).Inner;

    [GeneratedRegex(@"code: (\d{6})")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"token=([A-Za-z0-9_\-]+)")]
    private static partial Regex TokenPattern();

    private sealed class Channel
    {
        public System.Threading.Channels.Channel<MimeMessage> Inner { get; } = System.Threading.Channels.Channel.CreateUnbounded<MimeMessage>();
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            server.Received.Enqueue(message);
            foreach (var to in message.To.Mailboxes)
            {
                server.InboxOf(to.Address).Writer.TryWrite(message);
            }

            return SmtpResponse.Ok;
        }
    }
}
