using System.Diagnostics;
using System.Text;

namespace Gateway.Bench;

/// <summary>Collects the figures and renders the Markdown report (machine, commit, settings, figures, targets).</summary>
internal sealed class Report(bool quick)
{
    private readonly List<string> _rows = [];
    private readonly List<string> _notes = [];

    private void Row(string figure, string value, string target, bool? met) =>
        _rows.Add($"| {figure} | {value} | {target} | {(met is null ? "" : met.Value ? "met" : "**missed**")} |");

    public void Ingest(int batch, int concurrency, LoadDriver.Result r)
    {
        var target = batch switch { 100 => 20_000, 1 => 2_000, _ => 0 };
        Row($"ingest, batch {batch} ({concurrency} senders), events/s accepted (202 after durable commit)", $"{r.EventsPerSecond:N0} (p50 {r.Percentile(0.5):F1} ms, p99 {r.Percentile(0.99):F1} ms per request; {r.Failures} failed)",
            target == 0 ? "—" : $"≥ {target:N0}", target == 0 ? null : r.EventsPerSecond >= target);
    }

    public void OutboxOnly(double perSecond) =>
        Row("outbox writer alone, in-process (no HTTP, no parsing), batches of 100, events/s committed", $"{perSecond:N0}", "(diagnostic)", null);

    public void FixedLoad(LoadDriver.Result r) =>
        Row("ingest latency at 1,000 events/s offered (single events), p50 / p99", $"{r.Percentile(0.5):F1} ms / {r.Percentile(0.99):F1} ms ({r.Failures} failed)", "p99 < 25 ms", r.Percentile(0.99) < 25);

    public void Dispatch(int delivered, long queued, TimeSpan elapsed, int duplicates) =>
        Row("dispatch to the sink, events/s (includes process start-up)", $"{delivered / elapsed.TotalSeconds:N0} ({delivered:N0} of {queued:N0} in {elapsed.TotalSeconds:F1} s; {duplicates} duplicate ids)", "≥ 20,000", delivered / elapsed.TotalSeconds >= 20_000);

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

    public void Rss(string phase, double mb) => Row($"peak RSS of the app process ({phase})", $"{mb:F0} MB", "< 400 MB", mb < 400);

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
        sb.AppendLine($"- settings: app in Release as its own process, SQLite WAL + synchronous=FULL, load driver and sink (platform simulator) in one other process, all on 127.0.0.1; {(quick ? "quick run (5 s phases)" : "20 s phases")}; the driver shares the 2 cores with the app");
        sb.AppendLine("- command: `dotnet run --project bench/Gateway.Bench -c Release`");
        sb.AppendLine();
        sb.AppendLine("| figure | measured | target | |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var row in _rows) sb.AppendLine(row);
        foreach (var note in _notes) sb.AppendLine().AppendLine(note);
        return sb.ToString();
    }

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
