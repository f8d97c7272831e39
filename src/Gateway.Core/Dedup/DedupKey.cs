namespace Gateway.Core.Dedup;

/// <summary>
/// The deduplication key: both platforms count a browser Pixel event and a server event with the same
/// event name and event_id once within 48 hours (TikTok adds the pixel, which the site id stands in for here).
/// </summary>
public static class DedupKey
{
    /// <summary>The platforms' window; the gateway's own is `Dispatch:DedupWindow` (this by default).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(48);

    /// <summary>
    /// Stable across processes and versions. Parts are percent-escaped so a '|' inside an id cannot make two
    /// different triples collide ("a|b","c" vs "a","b|c").
    /// </summary>
    public static string For(string siteId, string eventName, string eventId)
    {
        ArgumentNullException.ThrowIfNull(siteId);
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(eventId);
        return $"{Uri.EscapeDataString(siteId)}|{Uri.EscapeDataString(eventName)}|{Uri.EscapeDataString(eventId)}";
    }
}
