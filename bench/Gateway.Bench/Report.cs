using System.Diagnostics;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// Collects the figures and renders the Markdown report (machine, commit, settings, figures, targets): one
/// column per database and node count, the same rows in each, so engines are compared side by side.
/// </summary>
internal sealed class Report(bool quick, TimeSpan phase)
{
    private readonly List<string> _columns = [];
    private readonly List<(string Figure, string Target)> _rows = [];
    private readonly Dictionary<(string Figure, string Column), string> _cells = [];
    private readonly List<string> _notes = [];

    /// <summary>The column the following figures belong to.</summary>
    public void Column(string label) => _columns.Add(label);

    private void Row(string figure, string value, string target, bool? met)
    {
        if (!_rows.Any(r => r.Figure == figure)) _rows.Add((figure, target));
        _cells[(figure, _columns[^1])] = met == false ? $"{value} — **missed**" : value;
    }

    public void Cpu(string phase, CpuMeter.Reading cpu) => Row($"CPU during {phase}, cores (rest: database server and kernel)", cpu.ToString(), "—", null);

    /// <summary>
    /// The machine's ceilings for this column (#16). Storage is measured on the column's own engine, between
    /// the slices of the batch-100 phase (before the first and after each), each time into a database that holds
    /// as many events as the product's does then; HTTP and fsync once per run.
    /// </summary>
    public void Ceilings(IReadOnlyList<double> storage, LoadDriver.Result http, double fsync)
    {
        _http = http.EventsPerSecond;
        Row("ceiling (a): storage, the product's rows by a minimal loop (event with its dedup key + 2 deliveries, every index, and the transaction's counters: the match-key rollup per platform and the queued count per pixel; 100 per transaction, the engine's durable settings) into a database of its own grown to the product's size first, events/s, measured between the slices of the batch-100 phase (a slice's ceiling: the mean of the measurements right before and after it)",
            $"{Median(storage):N0} median ({string.Join(", ", storage.Select(x => x.ToString("N0")))})", "(ceiling)", null);
        Row("ceiling (b): HTTP, Kestrel answering the same batch-100 bodies with 202 and no work, events/s", $"{http.EventsPerSecond:N0} (p99 {http.Percentile(0.99):F1} ms)", "(ceiling)", null);
        Row("ceiling (d): disk, 4 KiB write + fsync per second", $"{fsync:N0}", "(ceiling)", null);
    }

    private double _http = double.PositiveInfinity;

    /// <summary>
    /// Ingest, batches of 100, in slices each compared with the storage ceiling measured around it (the mean of
    /// right before and right after): the median of those ratios is the target; the absolute figure is context.
    /// </summary>
    public void IngestInSlices(int concurrency, IReadOnlyList<(double Storage, LoadDriver.Result Run)> slices)
    {
        var ratios = slices.Select(x => x.Run.EventsPerSecond / Math.Min(x.Storage, _http)).ToList();
        var median = Median(ratios);
        Row("ingest, batch 100 (8 senders): fraction of min(storage, HTTP), median of the slices", $"**{Ratio(median)}** ({string.Join(", ", ratios.Select(Ratio))})", "≥ 0.80", median >= 0.8);
        var all = LoadDriver.Result.Combine(slices.Select(x => x.Run));
        Ingest(100, concurrency, all);
    }

    public void Ingest(int batch, int concurrency, LoadDriver.Result r)
    {
        var target = batch == 1 ? 2_000 : 0;
        Row($"ingest, batch {batch} ({concurrency} senders), events/s accepted (202 after durable commit)", $"{r.EventsPerSecond:N0} (p50 {r.Percentile(0.5):F1} ms, p99 {r.Percentile(0.99):F1} ms per request; {r.Failures} failed)",
            target == 0 ? "—" : $"≥ {target:N0}", target == 0 ? null : r.EventsPerSecond >= target);
    }

    /// <summary>Two decimals, rounded down: a ratio of 0.795 reads 0.79 beside its missed 0.80 target, not 0.80.</summary>
    private static string Ratio(double value) => (Math.Floor(value * 100) / 100).ToString("F2");

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public void OutboxOnly(double perSecond) =>
        Row("outbox writer alone, in-process (no HTTP, no parsing), batches of 100, events/s committed", $"{perSecond:N0}", "(diagnostic)", null);

    public void FixedLoad(LoadDriver.Result settled, LoadDriver.Result unsettled)
    {
        Row("ingest latency at 1,000 events/s offered (single events), p50 / p99, once the disk has settled (checkpoint + sync after the saturation phases)",
            $"{settled.Percentile(0.5):F1} ms / {settled.Percentile(0.99):F1} ms ({settled.Failures} failed)", "p99 < 25 ms", settled.Percentile(0.99) < 25);
        Row("the same, right after the saturation phases (the disk still writing them back)",
            $"{unsettled.Percentile(0.5):F1} ms / {unsettled.Percentile(0.99):F1} ms ({unsettled.Failures} failed)", "—", null);
    }

    public void Note(string note) => _notes.Add(note);

    /// <summary>
    /// Dispatch from the first delivery the sink received to the last, as a fraction of min(sink, dispatch storage):
    /// like ingest, dispatch can go no faster than the slower of what it sends to and what it must record.
    /// </summary>
    public void Dispatch(int delivered, long queued, TimeSpan elapsed, double steady, TimeSpan warmUp, double firstToLast, double sinkCeiling, (double Before, double After) storage, int duplicates)
    {
        var storageCeiling = (storage.Before + storage.After) / 2;
        var ceiling = Math.Min(sinkCeiling, storageCeiling);
        Row("ceiling (c): the sink alone, the product's request bodies (1,000 events, one stream per pixel), events/s", $"{sinkCeiling:N0}", "(ceiling)", null);
        Row("ceiling (c'): dispatch storage, the product's row changes per batch of 1,000 by a minimal loop (claim under the product's lease owner, payload read, delivered update, attempt rows, the call row and the pixel's counters) over a queue of the product's size, deliveries/s: mean of right before and right after the phase", $"{storageCeiling:N0} ({storage.Before:N0} before, {storage.After:N0} after)", "(ceiling)", null);
        Row("dispatch to the sink: fraction of min(sink, dispatch storage)", $"**{Ratio(steady / ceiling)}** ({Ratio(steady / sinkCeiling)} of the sink alone)", "≥ 0.80", steady / ceiling >= 0.8);
        Row($"dispatch to the sink, events/s, from {warmUp.TotalSeconds:0} s after the first delivery (the fresh node's JIT warm-up) to the last", $"{steady:N0} ({firstToLast:N0} first to last; {delivered:N0} of {queued:N0}; {elapsed.TotalSeconds:F1} s with process start-up; {duplicates} duplicate ids)", "—", null);
    }

    /// <summary>The storage loop over each schema change on its own (#16), relative to the schema as shipped.</summary>
    public void WritePath(IReadOnlyList<(Ceilings.Shape Shape, double PerSecond)> results)
    {
        var baseline = results[0].PerSecond;
        var sb = new StringBuilder("Write path, one change at a time (SQLite storage loop, each shape twice in alternating order, mean):\n\n| shape | events/s | vs as shipped |\n|---|---|---|\n");
        foreach (var (shape, perSecond) in results) sb.AppendLine($"| {shape.Name} | {perSecond:N0} | {perSecond / baseline - 1:+0%;-0%;0%} |");
        _notes.Add(sb.ToString().TrimEnd());
    }

    public void EndToEnd(double[] ms, int accepted)
    {
        double P(double p) => ms.Length == 0 ? double.NaN : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(p * ms.Length) - 1)];
        Row("end-to-end accepted → delivered at 1,000 events/s, p50 / p99", $"{P(0.5):F0} ms / {P(0.99):F0} ms ({ms.Length:N0} deliveries of {accepted:N0} events × 2 pixels)", "p99 < 2 s", P(0.99) < 2000);
    }

    public void PageQueries(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) { _notes.Add("Dashboard page query check did not report timings (see `dotnet test tests/Gateway.Integration.Tests --filter Category=Performance`)."); return; }
        _notes.Add("Dashboard page queries at 1,000,000 deliveries (server time of the query services the pages call; target < 300 ms):\n\n```\n" + string.Join('\n', lines) + "\n```");
    }

    public void Rss(string phase, IReadOnlyList<double> mbPerNode) =>
        Row($"peak RSS per app process ({phase})", string.Join(" / ", mbPerNode.Select(mb => $"{mb:F0} MB")), "< 400 MB", mbPerNode.All(mb => mb < 400));

    public void Size(long events, long bytes) =>
        Row("database size per million events (event + 2 deliveries + rollups)", $"{bytes / (double)Math.Max(1, events) * 1_000_000 / 1024 / 1024:N0} MB ({events:N0} events, {bytes / 1024.0 / 1024:N0} MB)", "—", null);

    public string Render(string root)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark report");
        sb.AppendLine();
        sb.AppendLine($"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
        sb.AppendLine($"- commit: {Git(root, "rev-parse --short HEAD")}{(Git(root, "status --porcelain").Length > 0 ? " (uncommitted changes)" : "")}");
        sb.AppendLine($"- machine: {Environment.ProcessorCount} cores, {Memory()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        sb.AppendLine($"- settings: app in Release as its own process per node; SQLite WAL + synchronous=FULL; PostgreSQL {PostgresVersion()} private server on loopback with its defaults for durability (fsync on, synchronous_commit on, full_page_writes on); dispatch's per-connection throttle opened (Dispatch:RequestsPerSecondPerConnection=10000; the default 20 would cap dispatch at 40,000 events/s); load driver and sink (platform simulator) in one other process, all on 127.0.0.1; {(quick ? "quick run, " : "")}{phase.TotalSeconds:0} s phases; nodes, PostgreSQL, driver and sink share the {Environment.ProcessorCount} cores");
        sb.AppendLine("- command: `dotnet run --project bench/Gateway.Bench -c Release`");
        sb.AppendLine();
        sb.AppendLine($"| figure | target | {string.Join(" | ", _columns)} |");
        sb.AppendLine($"|---|---|{string.Concat(_columns.Select(_ => "---|"))}");
        foreach (var (figure, target) in _rows)
            sb.AppendLine($"| {figure} | {target} | {string.Join(" | ", _columns.Select(c => _cells.GetValueOrDefault((figure, c), "n/a")))} |");
        foreach (var note in _notes) sb.AppendLine().AppendLine(note);
        return sb.ToString();
    }

    private static string PostgresVersion() =>
        Directory.Exists("/usr/lib/postgresql") ? string.Join("/", Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName)) : "?";

    private static string Memory()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:"));
        return line is null ? "?" : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024 / 1024} GiB RAM";
    }

    private static string Git(string root, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", args) { WorkingDirectory = root, RedirectStandardOutput = true })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception) { return "?"; }
    }
}
