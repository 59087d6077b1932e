using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TiBillet.Bench.Load;

/// <summary>
/// A lean HTTP/1.1 load client for loopback POSTs, as wrk or bombardier are: keep-alive sockets, one request at a time on
/// each, no handler pipeline. The load generator shares the machine's two cores with the server it measures, so every
/// microsecond it spends is taken from the server; <see cref="HttpClient"/> spent about a tenth of the machine on this.
/// Understands what Kestrel sends back: a status line, headers, and a body sized by Content-Length or chunked.
/// </summary>
public sealed class LoopbackHttpClient(Uri endpoint) : IDisposable
{
    private readonly ConcurrentBag<Connection> _idle = [];
    private readonly byte[] _head = Encoding.ASCII.GetBytes($"POST {endpoint.PathAndQuery} HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Type: application/json\r\n");
    private volatile bool _disposed;

    /// <summary>Posts <paramref name="json"/> with the given Authorization header; returns the status code and the body.</summary>
    public async Task<(int Status, string Body)> PostAsync(string json, string authorization)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var headers = Encoding.ASCII.GetBytes($"Authorization: {authorization}\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
        var request = new byte[_head.Length + headers.Length + body.Length];
        _head.CopyTo(request, 0);
        headers.CopyTo(request, _head.Length);
        body.CopyTo(request, _head.Length + headers.Length);

        if (!_idle.TryTake(out var connection))
        {
            connection = await Connection.OpenAsync(endpoint);
        }

        try
        {
            var response = await connection.SendAsync(request);
            if (_disposed)
            {
                connection.Dispose();
            }
            else
            {
                _idle.Add(connection);
            }

            return response;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private sealed class Connection(Socket socket) : IDisposable
    {
        private byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public static async Task<Connection> OpenAsync(Uri endpoint)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Parse(endpoint.Host), endpoint.Port);
            return new Connection(socket);
        }

        public async Task<(int Status, string Body)> SendAsync(byte[] request)
        {
            await socket.SendAsync(request, SocketFlags.None);
            var statusLine = await ReadLineAsync();
            // "HTTP/1.1 200 OK"
            var status = int.Parse(statusLine.AsSpan(9, 3), CultureInfo.InvariantCulture);
            long? length = null;
            var chunked = false;
            while (await ReadLineAsync() is { Length: > 0 } header)
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                var name = header.AsSpan(0, colon);
                var value = header.AsSpan(colon + 1).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
            }

            var body = new MemoryStream();
            if (chunked)
            {
                while (true)
                {
                    var sizeLine = await ReadLineAsync();
                    var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
                    var size = int.Parse(semicolon < 0 ? sizeLine : sizeLine[..semicolon], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (size == 0)
                    {
                        // Trailers, if any, end with an empty line.
                        while ((await ReadLineAsync()).Length > 0)
                        {
                        }

                        break;
                    }

                    await CopyAsync(body, size);
                    await ReadLineAsync();
                }
            }
            else
            {
                await CopyAsync(body, (int)(length ?? 0));
            }

            return (status, Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
        }

        public void Dispose() => socket.Dispose();

        private async Task<string> ReadLineAsync()
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (newline >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, newline);
                    _start += newline + 2;
                    return line;
                }

                await FillAsync();
            }
        }

        private async Task CopyAsync(MemoryStream destination, int count)
        {
            while (count > 0)
            {
                if (_start == _end)
                {
                    await FillAsync();
                }

                var take = Math.Min(count, _end - _start);
                destination.Write(_buffer, _start, take);
                _start += take;
                count -= take;
            }
        }

        private async Task FillAsync()
        {
            if (_start > 0)
            {
                // Keep the unread bytes at the front.
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            _end += read;
        }
    }
}
