using Gateway.Core.Events;

namespace Gateway.Core.MatchQuality;

/// <summary>
/// The one place the EMQ-style estimate's weights live; the dashboard shows them next to every score.
/// Neither platform publishes its scoring, so these are the docs/platforms.md estimate: email 3, phone 2.5,
/// external_id 1.5, click id (ttclid/fbc) 2, browser id (ttp/fbp) 0.5, IP+UA together 0.5. Names and
/// address (Meta only; TikTok's payload has no such fields) add 0.5 each; the sum can exceed
/// <see cref="Cap"/>, so a score of 10 needs the strong keys, not just many weak ones.
/// </summary>
public static class MatchQualityWeights
{
    public const double Cap = 10.0;

    public static readonly IReadOnlyList<(MatchKeys Key, double Weight)> All =
    [
        (MatchKeys.Email, 3.0),
        (MatchKeys.Phone, 2.5),
        (MatchKeys.ClickId, 2.0),
        (MatchKeys.ExternalId, 1.5),
        (MatchKeys.BrowserId, 0.5),
        (MatchKeys.IpAndUserAgent, 0.5),
        (MatchKeys.Name, 0.5),
        (MatchKeys.Address, 0.5),
    ];

    public static double Weight(MatchKeys key)
    {
        foreach (var (k, w) in All)
            if (k == key)
                return w;
        throw new ArgumentOutOfRangeException(nameof(key), key, "Expected exactly one match key.");
    }
}
