using System.Net;
using System.Net.Sockets;
using TiBillet.ReaderAgent.Pcsc;

namespace TiBillet.PcscRig;

/// <summary>
/// A contactless card for the vpcd driver: a TCP client of the virtual reader, which sees a card while the socket
/// is connected. Messages both ways are a 2-byte big-endian length and that many bytes. Answers the control bytes
/// (0x00 off, 0x01 on, 0x02 reset: no reply; 0x04: the ATR), <c>FF CA 00 00 00</c> with the UID and 90 00, and
/// anything else with 6A 81.
/// </summary>
public sealed class VirtualCard : IAsyncDisposable
{
    /// <summary>The PC/SC part 3 ATR of a MIFARE Classic 1K, as a contactless reader reports it.</summary>
    public static readonly byte[] Atr =
        [0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6A];

    private const int FirstPort = 35963;
    private static readonly TimeSpan RemovalTimeout = TimeSpan.FromSeconds(10);

    private readonly int _port;
    private TcpClient? _client;
    private CancellationTokenSource? _stop;
    private Task _serving = Task.CompletedTask;
    private int _uidReads;
    private int _apdus;

    /// <param name="readerIndex">0 for <c>Virtual PCD 00 00</c> (port 35963), 1 for <c>Virtual PCD 00 01</c> (35964).</param>
    public VirtualCard(int readerIndex = 0)
    {
        _port = FirstPort + readerIndex;
        ReaderName = $"Virtual PCD 00 {readerIndex:00}";
    }

    /// <summary>The reader this card goes on.</summary>
    public string ReaderName { get; }

    /// <summary>How many times the reader asked for the UID since the card was created.</summary>
    public int UidReads => Volatile.Read(ref _uidReads);

    /// <summary>How many command APDUs of any kind the card received.</summary>
    public int Apdus => Volatile.Read(ref _apdus);

    /// <summary>Completes when the card leaves the reader: <see cref="RemoveAsync"/>, or the daemon closing the socket.</summary>
    public Task Removed => _serving;

    /// <summary>
    /// Places the card: connects to the driver, retrying while it is not listening yet (pcscd starting), then
    /// answers its requests until <see cref="RemoveAsync"/>.
    /// </summary>
    public async Task PlaceAsync(string uidHex, CancellationToken cancellationToken)
    {
        if (!_serving.IsCompleted)
        {
            throw new InvalidOperationException("The card is already on the reader.");
        }

        var uid = Convert.FromHexString(uidHex);
        var client = new TcpClient { NoDelay = true };
        while (true)
        {
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
                break;
            }
            catch (SocketException)
            {
                client.Dispose();
                client = new TcpClient { NoDelay = true };
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }

        _client = client;
        _stop = new CancellationTokenSource();
        _serving = ServeAsync(client.GetStream(), uid, _stop.Token);
    }

    /// <summary>
    /// Lifts the card: closes the socket, which the driver reports as a removal, and returns once pcscd reports the
    /// reader empty, so that the next test (or the next step) starts from a known state.
    /// </summary>
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
        try
        {
            using var timeout = new CancellationTokenSource(RemovalTimeout);
            await PcscDaemonProcess.WaitForCardAsync(ReaderName, present: false, timeout.Token);
        }
        catch (PcscException ex) when (ex.IsServiceLost)
        {
            // No daemon, no reader: nothing is left to see the card.
        }
    }

    public async ValueTask DisposeAsync() => await RemoveAsync();

    private async Task ServeAsync(NetworkStream stream, byte[] uid, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        try
        {
            while (await ReadAsync(stream, header, cancellationToken))
            {
                var message = new byte[(header[0] << 8) | header[1]];
                if (!await ReadAsync(stream, message, cancellationToken))
                {
                    return;
                }

                if (Answer(message, uid) is { } reply)
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
            // Lifted, or the daemon went away: either way the card is off the reader.
        }
    }

    private byte[]? Answer(byte[] message, byte[] uid)
    {
        if (message.Length == 1)
        {
            // Power off (0x00), power on (0x01) and reset (0x02) take no reply; 0x04 asks for the ATR.
            return message[0] == 0x04 ? Atr : null;
        }

        Interlocked.Increment(ref _apdus);
        if (message is [0xFF, 0xCA, 0x00, 0x00, ..])
        {
            Interlocked.Increment(ref _uidReads);
            return [.. uid, 0x90, 0x00];
        }

        return [0x6A, 0x81];
    }

    private static async Task<bool> ReadAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken) =>
        buffer.Length == 0 || await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) == buffer.Length;
}
