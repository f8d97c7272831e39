using System.Net;
using Gateway.Browser.Tests.Infrastructure;
using Gateway.Core.Events;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Browser.Tests.Snippet;

/// <summary>
/// The snippet as a shop would install it: a page on another origin loads /assets/gateway.js from the
/// gateway and posts to the real collect endpoint (CORS, browser key, origin check, storage).
/// </summary>
public sealed class SnippetAgainstGatewayTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Shop_page_on_another_origin_sends_a_browser_event_the_gateway_stores_and_pairs_with_the_server_copy()
    {
        var shopPort = TestData.FreeLoopbackPort();
        var shopOrigin = $"http://127.0.0.1:{shopPort}";
        TestData.SeededSite site;
        await using (var db = await browser.App.CreateDbContextAsync())
            site = await TestData.AddSiteAsync(db, "Snippet shop", origin: shopOrigin);

        var shop = WebApplication.CreateSlimBuilder();
        shop.WebHost.UseUrls(shopOrigin);
        shop.Logging.ClearProviders();
        await using var shopApp = shop.Build();
        shopApp.MapGet("/", () => Results.Content($$$"""
            <!doctype html><html><body><h1>Shop</h1>
            <script>
            !function(w,g){g=w.ConversionsGateway=w.ConversionsGateway||{q:[]};["init","track","setConsent"].forEach(function(m){g[m]=g[m]||function(){g.q.push([m].concat([].slice.call(arguments)))}})}(window);
            ConversionsGateway.setConsent({ad_user_data:'granted', ad_personalization:'granted'});
            ConversionsGateway.track('Purchase', {value: 19.99, currency: 'EUR'}, {event_id: 'order-77', user_data: {email: 'Shopper@Example.com'}});
            </script>
            <script async src="{{{browser.BaseUrl}}}/assets/gateway.js" data-endpoint="{{{browser.BaseUrl}}}" data-key="{{{site.BrowserKey}}}"></script>
            </body></html>
            """, "text/html"));
        await shopApp.StartAsync();

        var page = await browser.NewPageAsync();
        // The collect POST, not the names lookup the snippet also makes.
        var collected = page.WaitForResponseAsync(r => r.Url.Contains("/api/v1/collect?") && r.Request.Method == "POST");
        await page.GotoAsync($"{shopOrigin}/?fbclid=IwAR-test-click&ttclid=E.C.P.test");
        var response = await collected;
        Assert.True(response.Status == 202, $"collect answered {response.Status}: {await response.TextAsync()}");

        await using var check = await browser.App.CreateDbContextAsync();
        var stored = await check.Events.SingleAsync(e => e.EventId == "order-77");
        Assert.Equal(EventSource.Browser, stored.Source);
        Assert.True(stored.MatchKeys.HasFlag(MatchKeys.ClickId));
        Assert.DoesNotContain("Shopper@Example.com", stored.PayloadJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("IwAR-test-click", stored.PayloadJson); // fbc keeps the click id (not hashed by design)

        // The server copy of the same order arrives later: not queued again, linked as a dedup pair.
        using var client = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", site.ServerKey);
        var server = await client.PostAsync("/api/v1/events", new StringContent($$$"""
            {"event_name":"Purchase","event_id":"order-77","event_time":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"event_source_url":"{{{shopOrigin}}}/","user_data":{"email":"shopper@example.com"}}
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, server.StatusCode);
        await using var pairs = await browser.App.CreateDbContextAsync();
        Assert.Equal(EventSource.Browser, (await pairs.DedupPairs.SingleAsync(p => p.EventId == "order-77")).FirstSource);
    }
}
