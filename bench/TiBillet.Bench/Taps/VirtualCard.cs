using System.Net;
using System.Net.Sockets;

namespace TiBillet.Bench.Taps;

/// <summary>
/// A contactless card for the vpcd driver (the same protocol as the test rig's card): a TCP client of the virtual
/// reader, present while connected. Frames are a 2-byte big-endian length and that many bytes. Answers 0x04 with the
/// ATR, <c>FF CA 00 00 00</c> with the UID and 90 00, anything else with 6A 81; power commands get no reply.
/// </summary>
public sealed class VirtualCard : IAsyncDisposable
{
    private const int FirstPort = 35963;

    // The PC/SC part 3 ATR of a MIFARE Classic 1K, as a contactless reader reports it.
    private static readonly byte[] Atr =
        [0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A];

    private readonly int _port;
    private TcpClient? _client;
    private CancellationTokenSource? _stop;
    private Task _serving = Task.CompletedTask;

    /// <param name="readerIndex">0 for <c>Virtual PCD 00 00</c> (port 35963), 1 for <c>Virtual PCD 00 01</c> (35964).</param>
    public VirtualCard(int readerIndex) => _port = FirstPort + readerIndex;

    /// <summary>Places the card: connects to the driver and answers it until <see cref="RemoveAsync"/>.</summary>
    public async Task PlaceAsync(string uidHex, CancellationToken cancellationToken)
    {
        var uid = Convert.FromHexString(uidHex);
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
        _client = client;
        _stop = new CancellationTokenSource();
        _serving = ServeAsync(client.GetStream(), uid, _stop.Token);
    }

    /// <summary>Lifts the card (closes the socket). The caller waits for pcscd to report the reader empty.</summary>
    public async Task RemoveAsync()
    {
        if (_client is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _client.Dispose();
        _client = null;
        await _serving;
        _stop.Dispose();
        _stop = null;
    }

    public async ValueTask DisposeAsync() => await RemoveAsync();

    private static async Task ServeAsync(NetworkStream stream, byte[] uid, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        try
        {
            while (await stream.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false, cancellationToken) == 2)
            {
                var message = new byte[(header[0] << 8) | header[1]];
                if (message.Length > 0 && await stream.ReadAtLeastAsync(message, message.Length, throwOnEndOfStream: false, cancellationToken) != message.Length)
                {
                    return;
                }

                byte[]? reply = message switch
                {
                    [0x04] => Atr,
                    [_] => null, // power off, power on, reset
                    [0xFF, 0xCA, 0x00, 0x00, ..] => [.. uid, 0x90, 0x00],
                    _ => [0x6A, 0x81],
                };
                if (reply is not null)
                {
                    var frame = new byte[reply.Length + 2];
                    frame[0] = (byte)(reply.Length >> 8);
                    frame[1] = (byte)reply.Length;
                    reply.CopyTo(frame, 2);
                    await stream.WriteAsync(frame, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // Lifted, or the daemon went away.
        }
    }
}
