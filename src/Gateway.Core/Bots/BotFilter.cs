using Gateway.Core.Events;

namespace Gateway.Core.Bots;

public sealed record BotVerdict(bool IsBot, string? Reason)
{
    public static BotVerdict Human { get; } = new(false, null);
}

public sealed record BotFilterOptions
{
    public static BotFilterOptions Default { get; } = new();

    /// <summary>Extra case-insensitive substrings of the user agent that mark a bot (site configuration).</summary>
    public IReadOnlyList<string> ExtraPatterns { get; init; } = [];
}

/// <summary>
/// Flags crawler, headless-browser and HTTP-library traffic by user agent. Deliberately substring-based and
/// specific: a generic "bot" match would flag real phones (e.g. the "CUBOT" brand). It flags, never throws;
/// what to do with a flagged event is the caller's policy.
/// </summary>
public static class BotFilter
{
    public static readonly IReadOnlyList<string> KnownPatterns =
    [
        "googlebot", "adsbot-google", "mediapartners-google", "google-inspectiontool", "bingbot", "bingpreview",
        "slurp", "duckduckbot", "baiduspider", "yandexbot", "yandex.com/bots", "applebot", "ahrefsbot", "semrushbot",
        "mj12bot", "dotbot", "petalbot", "bytespider", "gptbot", "chatgpt-user", "claudebot", "ccbot", "perplexitybot",
        "amazonbot", "facebookexternalhit", "facebookcatalog", "meta-externalagent", "twitterbot", "linkedinbot",
        "slackbot", "discordbot", "telegrambot", "pinterestbot", "sogou", "exabot", "seznambot", "screaming frog",
        "headlesschrome", "phantomjs", "puppeteer", "selenium", "webdriver", "chrome-lighthouse", "lighthouse",
        "pingdom", "uptimerobot", "statuscake", "python-requests", "python-urllib", "python-httpx", "aiohttp",
        "curl/", "wget/", "go-http-client", "java/", "apache-httpclient", "okhttp/", "node-fetch", "axios/",
        "undici", "libwww-perl", "scrapy", "httpclient", "postmanruntime", "insomnia", "crawler", "spider",
    ];

    public static BotVerdict Evaluate(string? userAgent, EventSource source, BotFilterOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return source == EventSource.Browser
                ? new BotVerdict(true, "browser event without a user agent")
                : BotVerdict.Human;

        foreach (var pattern in KnownPatterns.Concat(options?.ExtraPatterns ?? []))
        {
            if (pattern.Length > 0 && userAgent.Contains(pattern, StringComparison.OrdinalIgnoreCase))
                return new BotVerdict(true, $"user agent matches bot pattern \"{pattern}\"");
        }
        return BotVerdict.Human;
    }
}
