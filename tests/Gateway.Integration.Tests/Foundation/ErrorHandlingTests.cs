using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Integration.Tests.Foundation;

/// <summary>
/// Real failures (a table the request needs is gone) in the real pipeline: API callers get problem+json with
/// a trace id and no internals; people get the error page, signed in or not.
/// </summary>
public sealed class ErrorHandlingTests : IDisposable
{
    private readonly GatewayAppFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task BreakAsync(string dropStatement)
    {
        await using var db = await _app.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(dropStatement);
    }

    [Fact]
    public async Task An_unhandled_error_in_an_api_endpoint_answers_problem_json_with_a_trace_id_and_no_internals()
    {
        await using (var db = await _app.CreateDbContextAsync())
            await TestData.AddSiteAsync(db);
        await BreakAsync("PRAGMA foreign_keys=OFF; DROP TABLE IngestionKeys;");

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StringContent("""{"event_name":"Purchase","event_id":"x","event_time":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "gk_" + new string('a', 40));
        var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Equal("/problems/internal", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("SQLite", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("no such table", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task A_failing_page_shows_the_error_page_and_the_error_page_works_signed_out()
    {
        var client = await TestData.SignedInClientAsync(_app, Gateway.Infrastructure.Identity.Roles.Admin);
        await BreakAsync("PRAGMA foreign_keys=OFF; DROP TABLE Sites;");

        var response = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", page);
        Assert.Contains("data-testid=\"request-id\"", page);
        Assert.DoesNotContain("no such table", page, StringComparison.OrdinalIgnoreCase);

        var anonymous = await _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/error");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Contains("Something went wrong", await anonymous.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("validation")]
    [InlineData("unauthorized")]
    [InlineData("internal")]
    public async Task Problem_type_uris_resolve_to_a_page_that_explains_them(string slug)
    {
        var response = await _app.CreateClient().GetAsync("/problems/" + slug);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_validation_problem_points_at_a_type_the_gateway_serves()
    {
        var response = await _app.CreateClient().PostAsync("/api/v1/events", new StringContent("{}", Encoding.UTF8, "application/json"));
        var type = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString();
        Assert.StartsWith("/problems/", type);
        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync(type)).StatusCode);
    }
}
