using System.Diagnostics;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Taps;

/// <summary>The watcher against the real pcscd: one tap per presence, and recovery when the daemon dies.</summary>
public sealed class ReaderWatcherTests(PcscDaemon daemon)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_card_left_on_the_reader_is_one_tap()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = WatcherRun.Start();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await using var card = new VirtualCard(0);

        await card.PlaceAsync("04A1B2C3D4E5F6", cancellationToken);
        var tap = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);
        // The scenario: the card stays on the reader for 3 s (pcscd polls the virtual card many times meanwhile).
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        Assert.Equal(PcscDaemon.FirstReader, tap.ReaderName);
        Assert.Equal("04A1B2C3D4E5F6", tap.Uid);
        Assert.True(Guid.TryParse(tap.TapId, out _));
        Assert.False(watcher.TryTakeTap(out var extra), $"second tap {extra}");
        Assert.Equal(1, card.UidReads);
    }

    [Fact]
    public async Task A_card_lifted_and_placed_again_is_a_second_tap()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = WatcherRun.Start();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await using var card = new VirtualCard(0);

        await card.PlaceAsync("04112233445566", cancellationToken);
        var first = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);
        await card.RemoveAsync();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await card.PlaceAsync("04112233445566", cancellationToken);
        var second = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);

        Assert.Equal(first.Uid, second.Uid);
        Assert.NotEqual(first.TapId, second.TapId);
        Assert.False(watcher.TryTakeTap(out var extra), $"third tap {extra}");
    }

    [Fact]
    public async Task Each_reader_reports_its_own_cards()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = WatcherRun.Start();
        await watcher.WaitForPresenceAsync(PcscDaemon.SecondReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await using var card = new VirtualCard(1);

        await card.PlaceAsync("DEADBEEF", cancellationToken);
        var tap = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);

        Assert.Equal(PcscDaemon.SecondReader, tap.ReaderName);
        Assert.Equal("DEADBEEF", tap.Uid);
    }

    [Fact]
    public async Task A_card_already_on_the_reader_at_start_is_not_a_tap_until_placed_again()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var card = new VirtualCard(0);
        await card.PlaceAsync("04CAFE00000001", cancellationToken);
        await PcscDaemon.WaitForCardAsync(PcscDaemon.FirstReader, present: true, cancellationToken).WaitAsync(EventTimeout, cancellationToken);

        await using var watcher = WatcherRun.Start();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: true, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        Assert.False(watcher.TryTakeTap(out var early), $"tap for a card found at start: {early}");
        await card.RemoveAsync();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await card.PlaceAsync("04CAFE00000001", cancellationToken);
        var tap = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);

        Assert.Equal("04CAFE00000001", tap.Uid);
    }

    [Fact]
    public async Task The_watcher_recovers_after_pcscd_is_killed_and_restarted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var watcher = WatcherRun.Start();
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);

        await daemon.KillAsync();
        await daemon.StartAsync(cancellationToken);
        // A fresh context reports the reader on first sight: proof the watcher re-established it.
        await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);
        await using var card = new VirtualCard(0);
        await card.PlaceAsync("04BACC0000FFEE", cancellationToken);
        var tap = await watcher.NextTapAsync(cancellationToken).AsTask().WaitAsync(EventTimeout, cancellationToken);

        Assert.Equal("04BACC0000FFEE", tap.Uid);
        Assert.False(watcher.Running.IsCompleted);
    }

    [Fact]
    public async Task Stopping_cancels_a_long_status_wait_at_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var watcher = WatcherRun.Start(statusTimeout: TimeSpan.FromMinutes(1));
        await using (watcher)
        {
            await watcher.WaitForPresenceAsync(PcscDaemon.FirstReader, cardPresent: false, cancellationToken).WaitAsync(EventTimeout, cancellationToken);

            var stopping = Stopwatch.StartNew();
            await watcher.StopAsync();

            // Far below the 1-minute wait: SCardCancel ended it.
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {stopping.Elapsed}");
        }
    }
}
