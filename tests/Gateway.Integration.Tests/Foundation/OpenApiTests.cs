using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Foundation;

/// <summary>The OpenAPI document describes every public API endpoint, and its examples work against the real ones.</summary>
public sealed class OpenApiTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await _app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Every_mapped_api_endpoint_is_in_the_document_with_its_method()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw.StartsWith("/compat/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: e.RoutePattern.RawText!, Method: m)))
            // CORS preflights are protocol plumbing, not operations a client calls.
            .Where(e => e.Method != "OPTIONS")
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var (path, method) in endpoints)
        {
            // The generator writes TikTok's trailing-slash path without its final '/'.
            Assert.True(paths.TryGetProperty(path, out var item) || paths.TryGetProperty(path.TrimEnd('/'), out item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the OpenAPI document");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            var responses = operation.GetProperty("responses");
            // An operation that takes a body documents its 400; every operation documents its refusals as problem details.
            if (operation.TryGetProperty("requestBody", out _))
                Assert.True(responses.TryGetProperty("400", out _), $"{method} {path} documents no 400");
            var problems = responses.EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{method} {path} documents no 4xx");
            Assert.All(problems, r => Assert.True(r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {r.Name} is not problem+json"));
        }
    }

    [Fact]
    public async Task The_documented_example_is_accepted_by_the_events_endpoint()
    {
        TestData.SeededSite site;
        await using (var db = await _app.CreateDbContextAsync()) site = await TestData.AddSiteAsync(db);
        var example = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/v1/events").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetRawText();

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent(example, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", site.ServerKey);
        var response = await _app.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = JsonDocument.Parse(body).RootElement.GetProperty("results")[0];
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        Assert.False(result.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array, "the example should need no warning: " + body);
    }

    [Fact]
    public async Task The_documented_example_is_accepted_by_the_collect_endpoint()
    {
        TestData.SeededSite site;
        await using (var db = await _app.CreateDbContextAsync()) site = await TestData.AddSiteAsync(db);
        var example = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/v1/collect").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("text/plain").GetProperty("example").GetRawText();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/collect?key=" + Uri.EscapeDataString(site.BrowserKey))
        {
            Content = new StringContent(example, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "https://shop.example");
        var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_interactive_docs_are_served()
    {
        var response = await _app.CreateClient().GetAsync("/docs/api/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Conversions Gateway API", await response.Content.ReadAsStringAsync());
    }
}
