using System.Globalization;
using MudBlazor;

namespace Gateway.Web.Features.Shared;

/// <summary>A chart's labels and series, shaped from a query's points for <c>MudChart</c>.</summary>
public sealed record ChartModel(string[] Labels, List<ChartSeries<double>> Series)
{
    public bool IsEmpty => Labels.Length == 0 || Series.All(s => s.Data.Values.All(v => v == 0));

    /// <summary>A y-axis step giving about five gridlines (MudChart's default step is a fixed 20).</summary>
    public int YStep
    {
        get
        {
            var max = Series.SelectMany(s => s.Data.Values).DefaultIfEmpty(0).Max();
            if (max <= 5) return 1;
            var raw = max / 5;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
            return Math.Max(1, (int)Math.Ceiling(step));
        }
    }

    public LineChartOptions LineOptions() => new() { YAxisTicks = YStep, YAxisRequireZeroPoint = true };

    public BarChartOptions BarOptions() => new() { YAxisTicks = YStep };
}

public static class DashboardCharts
{
    /// <summary>One series per selector over the same points; at most ~12 axis labels so they stay readable.</summary>
    public static ChartModel Over<T>(IReadOnlyList<T> points, Func<T, DateTime> at, string labelFormat, params (string Name, Func<T, double> Value)[] series)
    {
        var every = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
        var labels = points.Select((p, i) => i % every == 0 ? at(p).ToString(labelFormat, CultureInfo.InvariantCulture) : "").ToArray();
        return new ChartModel(labels, series.Select(s => Series(s.Name, points.Select(s.Value).ToArray())).ToList());
    }

    /// <summary>Several named series with their own dates, aligned on the union of dates (a missing date is a gap, not zero).</summary>
    public static ChartModel Aligned(string labelFormat, IEnumerable<(string Name, IReadOnlyList<(DateTime At, double Value)> Points)> series)
    {
        var all = series.ToList();
        var dates = all.SelectMany(s => s.Points.Select(p => p.At)).Distinct().Order().ToArray();
        var labels = dates.Select(d => d.ToString(labelFormat, CultureInfo.InvariantCulture)).ToArray();
        return new ChartModel(labels, all.Select(s =>
        {
            var byDate = s.Points.ToDictionary(p => p.At, p => (double?)p.Value);
            return new ChartSeries<double> { Name = s.Name, Data = new ChartData<double>(dates.Select(d => byDate.GetValueOrDefault(d)).ToArray()) };
        }).ToList());
    }

    /// <summary>Slices of one whole (donut/pie): one series whose values are the slices.</summary>
    public static ChartModel Slices(params (string Label, double Value)[] slices) =>
        new(slices.Select(s => s.Label).ToArray(), [Series("Share", slices.Select(s => s.Value).ToArray())]);

    public static ChartSeries<double> Series(string name, double[] values) => new() { Name = name, Data = new ChartData<double>(values) };
}
