using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using TiBillet.ReaderAgent.Pcsc;

namespace TiBillet.ReaderAgent.Taps;

/// <summary>
/// Watches PC/SC readers and turns each card presence into one <see cref="CardTap"/>: a card left on the reader is
/// one tap however long it stays; removed and placed again, it is a new tap. Survives pcscd restarts and readers
/// coming and going by re-establishing its context with backoff.
/// </summary>
public sealed partial class ReaderWatcher(IOptions<ReaderAgentOptions> options, ILogger<ReaderWatcher> logger)
{
    // PC/SC part 3 "Get Data": the card's UID (ISO 14443 NFCID1), followed by SW 90 00.
    private static readonly byte[] GetUidCommand = [0xFF, 0xCA, 0x00, 0x00, 0x00];
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CancelRepeatInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Watches until <paramref name="cancellationToken"/> is cancelled. PC/SC calls block, so the loop runs on a
    /// thread of its own, and the callbacks are called on it: they must hand the news on and return at once.
    /// </summary>
    /// <param name="onTap">Called once per card presence, with the card's UID.</param>
    /// <param name="onPresence">Called when a reader is first seen and whenever a card arrives or leaves (a status display, tests).</param>
    public Task RunAsync(Action<CardTap> onTap, Action<ReaderPresence>? onPresence = null, CancellationToken cancellationToken = default)
    {
        var callbacks = new Callbacks(onTap, onPresence ?? (_ => { }));
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(callbacks, cancellationToken);
                completion.SetResult();
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "PC/SC reader watcher",
        };
        thread.Start();
        return completion.Task;
    }

    private void Run(Callbacks callbacks, CancellationToken cancellationToken)
    {
        // Last known presence per reader, kept across contexts: a card that stays on its reader while pcscd
        // restarts is not charged again.
        var presence = new Dictionary<string, bool>(StringComparer.Ordinal);
        var delay = FirstRetryDelay;
        var outage = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var context = PcscContext.Establish();
                var left = new StrongBox<bool>();
                using var cancellation = cancellationToken.Register(() => _ = CancelUntilLeftAsync(context, left));
                if (outage)
                {
                    LogServiceBack();
                }
                else
                {
                    LogContextEstablished();
                }

                outage = false;
                delay = FirstRetryDelay;
                try
                {
                    Watch(context, presence, callbacks, cancellationToken);
                }
                finally
                {
                    Volatile.Write(ref left.Value, true);
                }
            }
            catch (PcscException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (!outage)
                {
                    LogServiceLost(ex.Operation, ex.Error);
                }
                else
                {
                    LogStillNoService(ex.Operation, ex.Error, delay.TotalMilliseconds);
                }

                outage = true;
                cancellationToken.WaitHandle.WaitOne(delay);
                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
            catch (PcscException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled mid-call: shutting down.
            }
        }
    }

    private void Watch(PcscContext context, Dictionary<string, bool> presence, Callbacks callbacks, CancellationToken cancellationToken)
    {
        var pnp = new PcscReaderState(PcscContext.PnpNotificationReader);
        var readers = new List<PcscReaderState>();
        var watched = new List<PcscReaderState>();
        var refresh = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (refresh)
            {
                RefreshReaders(context, readers);
                watched = [pnp, .. readers];
                refresh = false;
            }

            bool changed;
            try
            {
                changed = context.GetStatusChange(watched, options.Value.StatusTimeout);
            }
            catch (PcscException ex) when (ex.Error == PcscError.Cancelled)
            {
                continue; // Cancel() at shutdown; the loop condition ends it.
            }
            catch (PcscException ex) when (ex.Error is PcscError.UnknownReader or PcscError.ReaderUnavailable or PcscError.NoReadersAvailable)
            {
                refresh = true; // A reader left between listing and waiting.
                continue;
            }

            if (!changed)
            {
                continue;
            }

            if (pnp.HasChanged || pnp.CurrentState == PcscReaderStates.Unaware)
            {
                pnp.Acknowledge();
                refresh = true;
            }

            foreach (var reader in readers.Where(reader => reader.HasChanged || reader.CurrentState == PcscReaderStates.Unaware))
            {
                refresh |= Observe(context, reader, presence, callbacks);
                reader.Acknowledge();
            }
        }
    }

    /// <summary>Handles one reader's change; returns true when the reader list must be read again.</summary>
    private bool Observe(PcscContext context, PcscReaderState reader, Dictionary<string, bool> presence, Callbacks callbacks)
    {
        var flags = reader.EventFlags;
        if (flags.HasFlag(PcscReaderStates.Unknown) || flags.HasFlag(PcscReaderStates.Unavailable))
        {
            return true;
        }

        var present = flags.HasFlag(PcscReaderStates.Present) && !flags.HasFlag(PcscReaderStates.Mute);
        var firstSight = reader.CurrentState == PcscReaderStates.Unaware;
        var known = presence.TryGetValue(reader.ReaderName, out var wasPresent);
        presence[reader.ReaderName] = present;
        if (firstSight || present != wasPresent)
        {
            callbacks.OnPresence(new ReaderPresence(reader.ReaderName, present));
        }

        if (!present)
        {
            return false;
        }

        bool newPresence;
        if (firstSight)
        {
            // A card found on a reader at start (or after a restart) may have been charged already: the holder
            // lifts it and taps again.
            newPresence = known && !wasPresent;
            if (!newPresence)
            {
                LogCardAlreadyPresent(reader.ReaderName);
            }
        }
        else
        {
            // pcsclite's counter moves on every insertion and removal: still present with a new count means the
            // card was swapped between two waits.
            newPresence = !wasPresent || reader.EventCounter != reader.CurrentCounter;
        }

        if (newPresence && ReadUid(context, reader.ReaderName) is { } uid)
        {
            var tap = new CardTap(Guid.NewGuid().ToString(), reader.ReaderName, uid, Stopwatch.GetTimestamp());
            LogCardRead(tap.TapId, reader.ReaderName, uid);
            callbacks.OnTap(tap);
        }

        return false;
    }

    private string? ReadUid(PcscContext context, string readerName)
    {
        try
        {
            using var card = context.Connect(readerName, PcscShareMode.Shared, PcscProtocols.Any);
            var response = card.Transmit(GetUidCommand);
            if (response.Length < 3 || response[^2] != 0x90 || response[^1] != 0x00)
            {
                LogUidRefused(readerName, Convert.ToHexString(response.AsSpan(Math.Max(0, response.Length - 2))));
                return null;
            }

            return Convert.ToHexString(response, 0, response.Length - 2);
        }
        catch (PcscException ex) when (!ex.IsServiceLost)
        {
            // Lifted too soon, a card that does not answer, a reader just unplugged: the holder taps again.
            LogUidReadFailed(readerName, ex.Operation, ex.Error);
            return null;
        }
    }

    private void RefreshReaders(PcscContext context, List<PcscReaderState> readers)
    {
        var filter = options.Value.ReaderNameFilter;
        var names = context.ListReaders()
            .Where(name => string.IsNullOrEmpty(filter) || name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var gone in readers.Where(reader => !names.Contains(reader.ReaderName)))
        {
            LogReaderRemoved(gone.ReaderName);
        }

        readers.RemoveAll(reader => !names.Contains(reader.ReaderName));
        foreach (var name in names.Where(name => !readers.Exists(reader => reader.ReaderName == name)).Order(StringComparer.Ordinal))
        {
            LogReaderAdded(name);
            readers.Add(new PcscReaderState(name));
        }

        if (readers.Count == 0)
        {
            LogNoReader(filter ?? "");
        }
    }

    /// <summary>
    /// pcsclite ignores an SCardCancel that lands before the wait has begun (while the call still checks the current
    /// states), so cancel again until the watcher has left the context.
    /// </summary>
    private async Task CancelUntilLeftAsync(PcscContext context, StrongBox<bool> left)
    {
        while (!Volatile.Read(ref left.Value))
        {
            CancelQuietly(context);
            await Task.Delay(CancelRepeatInterval);
        }
    }

    private void CancelQuietly(PcscContext context)
    {
        try
        {
            context.Cancel();
        }
        catch (PcscException ex)
        {
            LogCancelFailed(ex.Error);
        }
        catch (ObjectDisposedException)
        {
            // The context is already released: nothing waits on it.
        }
    }

    private sealed record Callbacks(Action<CardTap> OnTap, Action<ReaderPresence> OnPresence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the PC/SC service")]
    private partial void LogContextEstablished();

    [LoggerMessage(Level = LogLevel.Information, Message = "PC/SC service is back; watching readers again")]
    private partial void LogServiceBack();

    [LoggerMessage(Level = LogLevel.Warning, Message = "PC/SC service unavailable ({Operation}: {Error}); is pcscd running? Reconnecting with backoff")]
    private partial void LogServiceLost(string operation, PcscError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PC/SC service still unavailable ({Operation}: {Error}); next try in {DelayMs} ms")]
    private partial void LogStillNoService(string operation, PcscError error, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reader {ReaderName} added")]
    private partial void LogReaderAdded(string readerName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reader {ReaderName} removed")]
    private partial void LogReaderRemoved(string readerName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No reader matches filter '{ReaderNameFilter}'; waiting for one to be plugged in")]
    private partial void LogNoReader(string readerNameFilter);

    [LoggerMessage(Level = LogLevel.Information, Message = "A card is already on {ReaderName}; not a tap until it is lifted and placed again")]
    private partial void LogCardAlreadyPresent(string readerName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Card {Uid} read on {ReaderName} as tap {TapId}")]
    private partial void LogCardRead(string tapId, string readerName, string uid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card on {ReaderName} refused the UID command (status {StatusWord})")]
    private partial void LogUidRefused(string readerName, string statusWord);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the card on {ReaderName} ({Operation}: {Error})")]
    private partial void LogUidReadFailed(string readerName, string operation, PcscError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SCardCancel failed at shutdown: {Error}")]
    private partial void LogCancelFailed(PcscError error);
}
