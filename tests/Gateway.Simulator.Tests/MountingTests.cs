using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Simulator.Tests;

public sealed class MountingTests
{
    [Fact]
    public async Task MountedIntoAHostApp_ServesUnderItsPrefix_NextToTheAppsOwnRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPlatformSimulator(o => o.PathPrefix = "/fake/");
        await using var app = builder.Build();
        app.MapGet("/", () => "gateway home");
        app.MapPlatformSimulator();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("gateway home", await http.GetStringAsync("/"));
        var state = await http.GetFromJsonAsync<JsonElement>("/fake/_control/state");
        Assert.Equal("sim-tiktok-app", state.GetProperty("tiktok").GetProperty("app_id").GetString());
        var page = await http.GetAsync("/fake/facebook/v21.0/dialog/oauth?client_id=sim-meta-app&redirect_uri=https%3A%2F%2Fx.example%2Fcb&state=abc");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("action=\"/fake/facebook/v21.0/dialog/oauth\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/sim/_control/state")).StatusCode);
        await app.StopAsync();
    }
}

public sealed class ConcurrencyTests : SimulatorTestBase
{
    [Fact]
    public async Task ParallelRequests_AreAllRecordedOnce()
    {
        State.Faults.Add(Fault.Throttle(SimPlatform.Meta, times: 5));
        var tasks = Enumerable.Range(0, 40).Select(async i =>
        {
            var (response, _) = await PostMeta(MetaBody(MetaEvent($"e-{i}")));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(tasks);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(35, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(35, State.AcceptedEvents.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(40, State.Requests.Count);
        Assert.Empty(State.DuplicateEventIds());
    }
}
