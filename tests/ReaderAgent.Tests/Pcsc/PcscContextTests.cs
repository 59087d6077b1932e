using TiBillet.ReaderAgent.Pcsc;
using TiBillet.ReaderAgent.Tests.Rig;

namespace TiBillet.ReaderAgent.Tests.Pcsc;

/// <summary>The binding against the real pcscd and libpcsclite, with the vpcd virtual readers and our virtual card.</summary>
public sealed class PcscContextTests(PcscDaemon daemon)
{
    private static readonly byte[] GetUid = [0xFF, 0xCA, 0x00, 0x00, 0x00];

    [Fact]
    public void Lists_the_two_virtual_readers()
    {
        using var context = PcscContext.Establish();

        var readers = context.ListReaders();

        Assert.Equal([PcscDaemon.FirstReader, PcscDaemon.SecondReader], readers);
    }

    [Fact]
    public async Task Reads_the_uid_of_a_placed_card()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var card = new VirtualCard(0);
        await card.PlaceAsync("04A1B2C3D4E5F6", cancellationToken);
        await PcscDaemon.WaitForCardAsync(PcscDaemon.FirstReader, present: true, cancellationToken);
        using var context = PcscContext.Establish();

        byte[] response;
        byte[] unsupported;
        using (var connection = context.Connect(PcscDaemon.FirstReader, PcscShareMode.Shared, PcscProtocols.Any))
        {
            response = connection.Transmit(GetUid);
            unsupported = connection.Transmit([0x00, 0xA4, 0x04, 0x00, 0x00]);
            Assert.True(connection.ActiveProtocol is PcscProtocols.T0 or PcscProtocols.T1, $"negotiated {connection.ActiveProtocol}");
        }

        Assert.Equal([0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x90, 0x00], response);
        Assert.Equal([0x6A, 0x81], unsupported);
    }

    [Fact]
    public async Task Status_change_reports_the_card_and_its_atr()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var card = new VirtualCard(1);
        await card.PlaceAsync("11223344", cancellationToken);
        await PcscDaemon.WaitForCardAsync(PcscDaemon.SecondReader, present: true, cancellationToken);
        using var context = PcscContext.Establish();
        var empty = new PcscReaderState(PcscDaemon.FirstReader);
        var full = new PcscReaderState(PcscDaemon.SecondReader);

        var changed = context.GetStatusChange([empty, full], TimeSpan.FromSeconds(5));

        Assert.True(changed);
        Assert.True(empty.EventFlags.HasFlag(PcscReaderStates.Empty));
        Assert.True(full.EventFlags.HasFlag(PcscReaderStates.Present));
        Assert.Equal(VirtualCard.Atr, full.Atr.ToArray());
    }

    [Fact]
    public void Status_change_times_out_when_nothing_changes()
    {
        using var context = PcscContext.Establish();
        var reader = new PcscReaderState(PcscDaemon.FirstReader);
        Assert.True(context.GetStatusChange([reader], TimeSpan.FromSeconds(5)));
        Assert.True(reader.EventFlags.HasFlag(PcscReaderStates.Empty), $"reader state {reader.EventFlags}");
        reader.Acknowledge();

        var changed = context.GetStatusChange([reader], TimeSpan.FromMilliseconds(300));

        Assert.False(changed);
    }

    [Fact]
    public async Task Cancel_ends_a_pending_status_change_with_a_typed_error()
    {
        using var context = PcscContext.Establish();
        var reader = new PcscReaderState(PcscDaemon.FirstReader);
        Assert.True(context.GetStatusChange([reader], TimeSpan.FromSeconds(5)));
        reader.Acknowledge();
        using var waiting = new ManualResetEventSlim();

        var pending = Task.Factory.StartNew(
            () =>
            {
                waiting.Set();
                return context.GetStatusChange([reader], Timeout.InfiniteTimeSpan);
            },
            TaskCreationOptions.LongRunning);
        waiting.Wait(TestContext.Current.CancellationToken);
        PcscException? exception = null;
        // The waiting thread may not have entered pcsclite yet when Cancel runs; cancel until the wait ends.
        while (!pending.IsCompleted)
        {
            context.Cancel();
            exception = await Record.ExceptionAsync(() => pending.WaitAsync(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken)) as PcscException;
        }

        exception ??= await Record.ExceptionAsync(() => pending) as PcscException;
        Assert.NotNull(exception);
        Assert.Equal(PcscError.Cancelled, exception.Error);
    }

    [Fact]
    public void Connecting_to_an_empty_reader_fails_with_no_smartcard()
    {
        using var context = PcscContext.Establish();

        var exception = Assert.Throws<PcscException>(() => context.Connect(PcscDaemon.FirstReader, PcscShareMode.Shared, PcscProtocols.Any));

        Assert.Equal(PcscError.NoSmartcard, exception.Error);
        Assert.True(exception.IsCardGone);
    }

    [Fact]
    public void Connecting_to_an_unknown_reader_fails_with_unknown_reader()
    {
        using var context = PcscContext.Establish();

        var exception = Assert.Throws<PcscException>(() => context.Connect("No Such Reader 00 00", PcscShareMode.Shared, PcscProtocols.Any));

        Assert.Equal(PcscError.UnknownReader, exception.Error);
    }

    [Fact]
    public async Task Without_the_daemon_the_binding_reports_no_service()
    {
        using var before = PcscContext.Establish();
        await daemon.StopAsync();
        try
        {
            var establish = Assert.Throws<PcscException>(PcscContext.Establish);
            var list = Assert.Throws<PcscException>(() => before.ListReaders());

            Assert.Equal(PcscError.NoService, establish.Error);
            Assert.True(establish.IsServiceLost);
            Assert.True(list.IsServiceLost, $"ListReaders on a dead daemon gave {list.Error}");
        }
        finally
        {
            await daemon.StartAsync(TestContext.Current.CancellationToken);
        }
    }
}
