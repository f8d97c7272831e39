using System.Net;
using System.Text.Json;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Ingestion;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Web.Features.Mappings;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Ingestion;

/// <summary>GET /api/v1/collect/names: the names the snippet gives the browser pixels match what the server copy is sent as.</summary>
public sealed class BrowserNamesTests : IAsyncLifetime
{
    private readonly GatewayAppFactory _app = new();
    private TestData.SeededSite _site = default!;
    private int _meta;

    public async Task InitializeAsync()
    {
        await using var db = await _app.CreateDbContextAsync();
        _site = await TestData.AddSiteAsync(db);
        _meta = await TestData.AddDestinationAsync(db, _site.SiteId, Platform.Meta, "444555666");
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<HttpResponseMessage> GetAsync(string key, string origin = "https://shop.example")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/collect/names?key={key}");
        request.Headers.Add("Origin", origin);
        return await _app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task The_site_gets_each_platforms_names_with_its_routed_pixels_overrides_and_nulls_where_not_sent()
    {
        var saved = await _app.Services.GetRequiredService<MappingAdministration>().SaveAsync(Platform.Meta, "Purchase", "ShopPurchase", _meta, "test");
        Assert.True(saved.Saved);
        _app.Services.GetRequiredService<RoutingTable>().Invalidate();

        var response = await GetAsync(_site.BrowserKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://shop.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var names = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Purchase", names.GetProperty("tiktok").GetProperty("CompletePayment").GetString());
        Assert.Equal(JsonValueKind.Null, names.GetProperty("tiktok").GetProperty("PageView").ValueKind);
        Assert.Equal("PageView", names.GetProperty("meta").GetProperty("PageView").GetString());
        Assert.Equal("ShopPurchase", names.GetProperty("meta").GetProperty("Purchase").GetString());
        Assert.Equal("Lead", names.GetProperty("meta").GetProperty("SubmitForm").GetString());
    }

    [Fact]
    public async Task Only_a_browser_key_from_an_allowed_origin_gets_an_answer()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(_site.BrowserKey, "https://evil.example")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(_site.ServerKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("gb_nope")).StatusCode);
    }
}
