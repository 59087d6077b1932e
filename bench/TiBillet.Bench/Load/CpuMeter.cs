using System.Diagnostics;
using System.Globalization;

namespace TiBillet.Bench.Load;

/// <summary>CPU seconds used by this process and by all PostgreSQL processes (Linux /proc), to see where a run spends its CPU.</summary>
public readonly record struct CpuSample(double ProcessSeconds, double PostgresSeconds)
{
    public static CpuSample Take()
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(self.TotalProcessorTime.TotalSeconds, ReadPostgresSeconds());
    }

    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.ProcessSeconds - b.ProcessSeconds, a.PostgresSeconds - b.PostgresSeconds);

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
