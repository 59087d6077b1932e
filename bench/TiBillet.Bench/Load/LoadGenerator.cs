using System.Diagnostics;

namespace TiBillet.Bench.Load;

/// <summary>Counts and latencies of one load run.</summary>
public sealed record LoadResult(long Succeeded, long Failed, double Seconds, double[] LatenciesMs)
{
    public double PerSecond => Succeeded / Seconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
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
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            for (; sent < due; sent++)
            {
                var i = sent;
                var scheduled = i / perSecond;
                inFlight.Add(Task.Run(async () =>
                {
                    bool success;
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
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        return new LoadResult(ok, failed, duration.TotalSeconds, latencies);
    }
}
