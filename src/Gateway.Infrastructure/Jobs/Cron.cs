namespace Gateway.Infrastructure.Jobs;

/// <summary>Intervals from the options as Hangfire cron expressions (6 fields when seconds are needed).</summary>
public static class Cron
{
    public static string Every(TimeSpan interval)
    {
        if (interval < TimeSpan.FromMinutes(1))
            return $"*/{Math.Clamp((int)Math.Round(interval.TotalSeconds), 1, 59)} * * * * *";
        if (interval < TimeSpan.FromHours(1))
            return $"*/{Math.Clamp((int)Math.Round(interval.TotalMinutes), 1, 59)} * * * *";
        if (interval < TimeSpan.FromDays(1))
            return $"0 */{Math.Clamp((int)Math.Round(interval.TotalHours), 1, 23)} * * *";
        return "0 3 * * *";
    }
}
