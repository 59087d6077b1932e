using System.Diagnostics;
using System.Globalization;

namespace TiBillet.Bench.Load;

/// <summary>
/// CPU seconds used by this process and by all PostgreSQL processes, and the machine's steal time: how long its virtual
/// cores were ready to run but the hypervisor ran something else (Linux /proc). Steal is what makes two runs of the same
/// build on this VM differ: it took up to a third of the machine in some seconds of a run.
/// </summary>
public readonly record struct CpuSample(double ProcessSeconds, double PostgresSeconds, double StolenSeconds)
{
    public static CpuSample Take()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(self.TotalProcessorTime.TotalSeconds, ReadPostgresSeconds(), ReadStolenSeconds());
    }

    public static CpuSample operator -(CpuSample a, CpuSample b) =>
        new(a.ProcessSeconds - b.ProcessSeconds, a.PostgresSeconds - b.PostgresSeconds, a.StolenSeconds - b.StolenSeconds);

    /// <summary>Share of the whole machine (all its cores) that the hypervisor took over <paramref name="seconds"/>.</summary>
    public double StolenShare(double seconds) => StolenSeconds / (seconds * Environment.ProcessorCount);

    /// <summary>"CPU cores used: .NET 1.32, PostgreSQL 0.37; host steal 4.1 % of the machine", over <paramref name="seconds"/>.</summary>
    public string Describe(double seconds) =>
        $"CPU cores used: .NET {ProcessSeconds / seconds:0.00}, PostgreSQL {PostgresSeconds / seconds:0.00}; host steal {StolenShare(seconds) * 100:0.0} % of the machine";

    /// <summary>The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal …, in USER_HZ ticks.</summary>
    private static double ReadStolenSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 8 ? double.Parse(fields[8], CultureInfo.InvariantCulture) / 100.0 : 0;
    }

    private static double ReadPostgresSeconds()
    {
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < 0 || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return ticks / 100.0; // USER_HZ
    }
}
