using Gateway.Core.Bots;
using Gateway.Core.Events;

namespace Gateway.Core.Tests.Bots;

public sealed class BotFilterTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "googlebot")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "headlesschrome")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", "phantomjs")]
    [InlineData("python-requests/2.31.0", "python-requests")]
    [InlineData("curl/8.5.0", "curl/")]
    [InlineData("Wget/1.21.4", "wget/")]
    [InlineData("Go-http-client/2.0", "go-http-client")]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "gptbot")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "ahrefsbot")]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "yandexbot")]
    public void Evaluate_FlagsKnownBots(string ua, string pattern)
    {
        var v = BotFilter.Evaluate(ua, EventSource.Browser);
        Assert.True(v.IsBot);
        Assert.Contains(pattern, v.Reason);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; CUBOT KingKong 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5; rv:127.0) Gecko/20100101 Firefox/127.0")]
    public void Evaluate_PassesRealBrowsers(string ua) => Assert.Equal(BotVerdict.Human, BotFilter.Evaluate(ua, EventSource.Browser));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Evaluate_FlagsAMissingUserAgent_OnlyOnBrowserEvents(string? ua)
    {
        var browser = BotFilter.Evaluate(ua, EventSource.Browser);
        Assert.True(browser.IsBot);
        Assert.Contains("without a user agent", browser.Reason);
        Assert.False(BotFilter.Evaluate(ua, EventSource.Server).IsBot);
    }

    [Fact]
    public void Evaluate_UsesConfiguredExtraPatterns()
    {
        var options = new BotFilterOptions { ExtraPatterns = ["InternalMonitor"] };
        Assert.True(BotFilter.Evaluate("Mozilla/5.0 internalmonitor/1.0", EventSource.Server, options).IsBot);
        Assert.False(BotFilter.Evaluate("Mozilla/5.0 internalmonitor/1.0", EventSource.Server).IsBot);
    }

    [Fact]
    public void Evaluate_FlagsBotsOnServerEventsToo() =>
        Assert.True(BotFilter.Evaluate("Googlebot", EventSource.Server).IsBot);
}
