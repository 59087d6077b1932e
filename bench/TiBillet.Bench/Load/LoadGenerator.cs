using System.Diagnostics;

namespace TiBillet.Bench.Load;

/// <summary>Counts and latencies of one load run.</summary>
public sealed record LoadResult(long Succeeded, long Failed, double Seconds, double[] LatenciesMs)
{
    /// <summary>Open loop only: how late each request started running after its scheduled time (the generator's own lag).</summary>
    public double[] StartLagMs { get; init; } = [];

    /// <summary>Open loop only: when the schedule started, to line slow requests up with the database server's log.</summary>
    public DateTime StartedUtc { get; init; }

    public double PerSecond => Succeeded / Seconds;

    public double Percentile(double p) => Percentile(LatenciesMs, p);

    /// <summary>
    /// Open loop only: when the requests slower than <paramref name="thresholdMs"/> were scheduled, by tenth of a second
    /// ("3.2 s ×45 (max 41 ms, 14:33:02.4 UTC)"), to tell a recurring stall from scattered slow requests. The 20 tenths with the
    /// most, in time order.
    /// </summary>
    public string SlowRequestTimes(double thresholdMs) => string.Join(", ",
        LatenciesMs.Select((latency, i) => (latency, at: Math.Floor(i * Seconds / LatenciesMs.Length * 10) / 10))
            .Where(r => r.latency > thresholdMs)
            .GroupBy(r => r.at)
            .OrderByDescending(g => g.Count()).Take(20).OrderBy(g => g.Key)
            .Select(g => $"{g.Key:0.0} s ×{g.Count()} (max {g.Max(r => r.latency):0} ms, {StartedUtc.AddSeconds(g.Key):HH:mm:ss.f} UTC)"));

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Closed loop: a fixed number of clients, each sending its next request when the previous one answered (peak rate).
/// Open loop: requests sent on a fixed schedule whatever the answers, latency measured from the scheduled time, so a
/// slow system cannot hide its queueing (coordinated omission).
/// </summary>
public static class LoadGenerator
{
    /// <summary>
    /// A full blocking collection between measured parts (as benchmark harnesses do between runs), so one part's
    /// garbage is not collected during the next part's measurement.
    /// </summary>
    public static void FullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    public static async Task<LoadResult> ClosedLoopAsync(int clients, TimeSpan duration, Func<long, Task<bool>> operation)
    {
        long next = 0, ok = 0, failed = 0;
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        var deadline = duration;
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            while (clock.Elapsed < deadline)
            {
                var start = clock.Elapsed;
                bool success;
                try
                {
                    success = await operation(Interlocked.Increment(ref next));
                }
                catch (Exception)
                {
                    success = false;
                }

                mine.Add((clock.Elapsed - start).TotalMilliseconds);
                Interlocked.Increment(ref success ? ref ok : ref failed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new LoadResult(ok, failed, clock.Elapsed.TotalSeconds, [.. latencies.SelectMany(l => l)]);
    }

    public static async Task<LoadResult> OpenLoopAsync(double perSecond, TimeSpan duration, Func<long, Task<bool>> operation)
    {
        long ok = 0, failed = 0;
        var total = (long)(perSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var lags = new double[total];
        // Completed requests are counted, not kept: holding every finished task would make each GC copy them all,
        // and those pauses would be the generator's, not the system's.
        long outstanding = 1;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Done()
        {
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                drained.TrySetResult();
            }
        }

        async Task SendAsync(long i, double scheduled, Stopwatch clock)
        {
            bool success;
            lags[i] = (clock.Elapsed.TotalSeconds - scheduled) * 1000;
            try
            {
                success = await operation(i);
            }
            catch (Exception)
            {
                success = false;
            }

            latencies[i] = (clock.Elapsed.TotalSeconds - scheduled) * 1000;
            Interlocked.Increment(ref success ? ref ok : ref failed);
            Done();
        }

        // A dedicated thread paces the requests and starts each one itself (its synchronous part runs here, the rest on
        // the thread pool). Timer-based delays and a queue hop added milliseconds of the generator's own lag per request.
        var startedUtc = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var pacer = new Thread(() =>
        {
            long sent = 0;
            while (sent < total)
            {
                var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
                for (; sent < due; sent++)
                {
                    Interlocked.Increment(ref outstanding);
                    _ = SendAsync(sent, sent / perSecond, clock);
                }

                // 1 ms: a shorter sleep rounds to 0, a yield, and the pacer would spin a core.
                Thread.Sleep(1);
            }

            Done();
        }) { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await drained.Task;
        return new LoadResult(ok, failed, duration.TotalSeconds, latencies) { StartLagMs = lags, StartedUtc = startedUtc };
    }
}
