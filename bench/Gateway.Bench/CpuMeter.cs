namespace Gateway.Bench;

/// <summary>
/// CPU used over a phase, from /proc: per app process (user + system time) and for the whole machine, in
/// cores (1.0 = one core busy for the whole phase). Two nodes, PostgreSQL and the load driver share the same
/// cores, so throughput alone does not say who did the work.
/// </summary>
internal sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int[] _pids;
    private readonly long[] _start;
    private readonly (long Busy, long Total) _machineStart;
    private readonly TimeSpan _driverStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    private readonly DateTime _startedAt = DateTime.UtcNow;

    private CpuMeter(int[] pids) { _pids = pids; _start = pids.Select(ProcessTicks).ToArray(); _machineStart = MachineTicks(); }

    public static CpuMeter Start(IEnumerable<int> pids) => new(pids.ToArray());

    /// <param name="DriverCores">This process: the load driver and the sink.</param>
    public sealed record Reading(double[] CoresPerProcess, double DriverCores, double MachineCores)
    {
        /// <summary>What the machine spent beyond the nodes and the driver: the database server (PostgreSQL) and the kernel.</summary>
        public double RestCores => Math.Max(0, MachineCores - CoresPerProcess.Sum() - DriverCores);

        public override string ToString() =>
            $"node{(CoresPerProcess.Length > 1 ? "s" : "")} {string.Join(" + ", CoresPerProcess.Select(c => c.ToString("F2")))}, driver + sink {DriverCores:F2}, rest {RestCores:F2} (of {MachineCores:F2} busy of {Environment.ProcessorCount} cores)";
    }

    public Reading Stop()
    {
        var seconds = (DateTime.UtcNow - _startedAt).TotalSeconds;
        var perProcess = _pids.Select((pid, i) => (ProcessTicks(pid) - _start[i]) / TicksPerSecond / seconds).ToArray();
        var (busy, total) = MachineTicks();
        var share = (double)(busy - _machineStart.Busy) / Math.Max(1, total - _machineStart.Total);
        var driver = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - _driverStart).TotalSeconds / seconds;
        return new Reading(perProcess, driver, share * Environment.ProcessorCount);
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of stat)
        }
        catch (IOException) { return 0; }
    }

    private static (long Busy, long Total) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = cpu[3] + cpu[4]; // idle + iowait
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }
}
