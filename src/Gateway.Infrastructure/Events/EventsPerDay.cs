using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Events;

public sealed record EventDay(DateTime Day, int Count, int LimitedDataUse);

public static class EventsPerDay
{
    /// <summary>
    /// Events received on each UTC day from <paramref name="from"/> (a midnight) on, range counts per day over the
    /// ReceivedAt index. Not a GROUP BY on the day: on SQLite ReceivedAt is ticks (docs/operations.md#timestamps),
    /// which SQL's date functions would misread without a word.
    /// </summary>
    public static async Task<IReadOnlyList<EventDay>> CountAsync(IQueryable<StoredEvent> events, DateTime from, int days, CancellationToken ct)
    {
        var result = new List<EventDay>(days);
        for (var i = 0; i < days; i++)
        {
            var (day, next) = (from.AddDays(i), from.AddDays(i + 1));
            var received = events.Where(e => e.ReceivedAt >= day && e.ReceivedAt < next);
            result.Add(new EventDay(day, await received.CountAsync(ct), await received.CountAsync(e => e.LimitedDataUse, ct)));
        }
        return result;
    }
}
