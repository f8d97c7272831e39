using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Events;

public static class EventsPerDay
{
    /// <summary>
    /// How many of <paramref name="events"/> were received on each UTC day from <paramref name="from"/> (a midnight)
    /// on, one range count per day over the ReceivedAt index. Not a GROUP BY on the day: on SQLite ReceivedAt is ticks
    /// (docs/operations.md#timestamps), which SQL's date functions would misread without a word.
    /// </summary>
    public static async Task<int[]> CountAsync(IQueryable<StoredEvent> events, DateTime from, int days, CancellationToken ct)
    {
        var counts = new int[days];
        for (var i = 0; i < days; i++)
        {
            var (day, next) = (from.AddDays(i), from.AddDays(i + 1));
            counts[i] = await events.CountAsync(e => e.ReceivedAt >= day && e.ReceivedAt < next, ct);
        }
        return counts;
    }
}
