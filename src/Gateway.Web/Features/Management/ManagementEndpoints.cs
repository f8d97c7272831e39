using System.Security.Claims;
using System.Text.Json.Serialization;
using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Sites;
using Gateway.Web.Features.Connections;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.Mappings;
using Gateway.Web.Features.Settings;

namespace Gateway.Web.Features.Management;

public sealed record SiteRequest(string Name, string? DefaultPhoneCountry, bool? DefaultAdUserDataGranted, bool? DefaultAdPersonalizationGranted,
    bool? KeepIpAndUserAgentWhenDenied, IReadOnlyList<string>? DeniedByDefaultCountries, IReadOnlyList<string>? AllowedOrigins);

public sealed record KeyRequest(IngestionKeyKind Kind, string? Name);

public sealed record ConnectRequest(Platform Platform, string Token, string? Name, IReadOnlyList<string>? AdvertiserIds);

/// <summary>Only the fields sent change. An empty <c>TestEventCode</c> clears it; <c>Events: null</c> with <c>AllEvents: true</c> routes every event.</summary>
public sealed record DestinationPatch(bool? Enabled, IReadOnlyList<int>? SiteIds, IReadOnlyList<string>? Events, bool? AllEvents, string? TestEventCode);

public sealed record MappingRequest(Platform Platform, string CanonicalName, string? PlatformName, int? DestinationId);

public sealed record RedriveRequest(IReadOnlyList<long> Ids);

/// <param name="Id">The id of what was created (a connection), when something was.</param>
public sealed record CommandAnswer(string Message, int? Id = null);

/// <summary>
/// The management API (/api/v1/manage): what the Settings, Connections, Mappings and Deliveries pages do, for
/// scripts and CI, authenticated by a personal access token and authorized by the same policies as the pages
/// (Viewer reads, Marketer routes and re-drives, Admin provisions). Every call is audited (docs/operations.md#management-api).
/// </summary>
internal static class ManagementEndpoints
{
    public static IEndpointRouteBuilder MapManagementEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var manage = endpoints.MapGroup("/api/v1/manage")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(PersonalAccessTokenAuthentication.SchemeName).RequireRole(Roles.All))
            .DisableAntiforgery() // a bearer token, never a cookie: nothing a cross-site form could ride on
            .AddEndpointFilter<ManagementAudit.Filter>()
            .WithTags("Management")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        RouteGroupBuilder Policy(string policy) => manage.MapGroup("").RequireAuthorization(policy);
        var viewer = Policy(Policies.Viewer);
        var marketer = Policy(Policies.Marketer);
        var admin = Policy(Policies.Admin);

        viewer.MapGet("/sites", (SiteAdministration sites, CancellationToken ct) => sites.SitesAsync(ct)).WithSummary("Sites with their consent defaults");
        admin.MapPost("/sites", (SiteRequest body, SiteAdministration sites, CancellationToken ct) => SaveSiteAsync(0, body, sites, ct))
            .WithSummary("Create a site").ProducesValidationProblem();
        admin.MapPut("/sites/{id}", (int id, SiteRequest body, SiteAdministration sites, CancellationToken ct) => SaveSiteAsync(id, body, sites, ct))
            .WithSummary("Update a site and its consent defaults").ProducesValidationProblem();

        admin.MapGet("/keys", async (SiteAdministration sites, int? skip, int? take, CancellationToken ct) =>
            (await sites.KeysAsync(Math.Max(0, skip ?? 0), Math.Clamp(take ?? 100, 1, 500), ct)).Rows).WithSummary("Ingestion keys (never their secrets)");
        admin.MapPost("/sites/{siteId}/keys", async (int siteId, KeyRequest body, SiteAdministration sites, CancellationToken ct) =>
                await sites.CreateKeyAsync(siteId, body.Kind, body.Name ?? "", ct) is { } key
                    ? Results.Created($"/api/v1/manage/keys/{key.Id}", key)
                    : Results.Problem(statusCode: 404, detail: $"Site {siteId} does not exist.", type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.NotFound)))
            .WithSummary("Create an ingestion key; the answer is the only time the key is shown").ProducesValidationProblem();
        admin.MapDelete("/keys/{id}", async (int id, SiteAdministration sites, CancellationToken ct) => { await sites.RevokeKeyAsync(id, ct); return Results.NoContent(); })
            .WithSummary("Revoke an ingestion key (effective on the next request)");

        viewer.MapGet("/connections", (ConnectionsQuery connections, CancellationToken ct) => connections.ListAsync(ct))
            .WithSummary("Connections and their destinations (pixels), without tokens");
        admin.MapPost("/connections", async (ConnectRequest body, ClaimsPrincipal user, ConnectionCommands commands, CancellationToken ct) =>
                string.IsNullOrWhiteSpace(body.Token)
                    ? Invalid("token", "A platform access token is required.")
                    : Answer(await commands.ConnectWithTokenAsync(user, body.Platform, body.Token, body.Name, string.Join(',', body.AdvertiserIds ?? []), ct)))
            .WithSummary("Connect with a token (a Meta system-user or TikTok long-lived token) and discover its pixels").ProducesValidationProblem();
        marketer.MapPatch("/destinations/{id}", PatchDestinationAsync)
            .WithSummary("Enable, route to sites, filter events, set the test event code").ProducesValidationProblem();

        viewer.MapGet("/mappings", (MappingAdministration mappings, CancellationToken ct) => mappings.LoadAsync(ct)).WithSummary("Default mappings and overrides");
        admin.MapPut("/mappings", async (MappingRequest body, ClaimsPrincipal user, MappingAdministration mappings, CancellationToken ct) =>
            {
                var saved = await mappings.SaveAsync(body.Platform, body.CanonicalName ?? "", body.PlatformName, body.DestinationId, user.Identity?.Name, ct);
                return saved.Saved
                    ? Results.Ok(saved.Issues.Select(i => i.Message))
                    : Results.ValidationProblem(new Dictionary<string, string[]> { ["mapping"] = saved.Issues.Select(i => i.Message).ToArray() });
            })
            .WithSummary("Set a platform-wide rule or a pixel override").ProducesValidationProblem();
        admin.MapDelete("/mappings/{id}", async (int id, MappingAdministration mappings, CancellationToken ct) => { await mappings.DeleteOverrideAsync(id, ct); return Results.NoContent(); })
            .WithSummary("Delete a pixel override");

        viewer.MapGet("/deliveries", DeliveriesAsync).WithSummary("The delivery log with the dashboard's filters");
        marketer.MapPost("/deliveries/redrive", async (RedriveRequest body, ClaimsPrincipal user, DeadLetterRedrive redrive, CancellationToken ct) =>
                body.Ids is not { Count: > 0 and <= 1000 }
                    ? Invalid("ids", "Send between 1 and 1000 delivery ids.")
                    : Results.Ok(await redrive.RedriveAsync(user, body.Ids, null, ct)))
            .WithSummary("Re-drive dead-lettered deliveries").ProducesValidationProblem();

        admin.MapGet("/audit", async (ManagementAudit audit, int? skip, int? take, CancellationToken ct) =>
            (await audit.PageAsync(Math.Max(0, skip ?? 0), Math.Clamp(take ?? 100, 1, 500), ct)).Rows).WithSummary("The audit log, newest first");
        return endpoints;
    }

    private static IResult Invalid(string field, string message) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
        type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.Validation));

    private static IResult Answer(CommandResult result) =>
        result.Succeeded ? Results.Ok(new CommandAnswer(result.Message, result.Id))
        : result == CommandResult.Forbidden ? Results.Problem(statusCode: 403, detail: result.Message, type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.Forbidden))
        : Results.Problem(statusCode: 422, detail: result.Message, type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.Validation));

    private static async Task<IResult> SaveSiteAsync(int id, SiteRequest body, SiteAdministration sites, CancellationToken ct)
    {
        var form = new SiteForm
        {
            Id = id, Name = body.Name ?? "", DefaultPhoneCountry = body.DefaultPhoneCountry ?? "US",
            DefaultAdUserDataGranted = body.DefaultAdUserDataGranted ?? true, DefaultAdPersonalizationGranted = body.DefaultAdPersonalizationGranted ?? true,
            KeepIpAndUserAgentWhenDenied = body.KeepIpAndUserAgentWhenDenied ?? true,
            DeniedByDefaultCountries = string.Join(',', body.DeniedByDefaultCountries ?? []), AllowedOrigins = string.Join('\n', body.AllowedOrigins ?? []),
        };
        var errors = await sites.SaveSiteAsync(form, ct);
        if (errors.Count == 0)
            return id == 0 ? Results.Created($"/api/v1/manage/sites/{form.Id}", new { id = form.Id }) : Results.Ok(new { id = form.Id });
        if (errors.Contains("That site no longer exists."))
            return Results.Problem(statusCode: 404, detail: $"Site {id} does not exist.", type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.NotFound));
        return Results.ValidationProblem(errors.GroupBy(SiteField).ToDictionary(g => g.Key, g => g.ToArray()), type: Errors.ProblemTypes.Uri(Errors.ProblemTypes.Validation));
    }

    /// <summary>Which request field a Settings validation message is about (the page shows them as one list).</summary>
    private static string SiteField(string message) =>
        message.Contains("phone country", StringComparison.Ordinal) ? "defaultPhoneCountry"
        : message.Contains("country code", StringComparison.Ordinal) ? "deniedByDefaultCountries"
        : message.Contains("origin", StringComparison.Ordinal) ? "allowedOrigins"
        : "name";

    private static async Task<IResult> PatchDestinationAsync(int id, DestinationPatch body, ClaimsPrincipal user, ConnectionCommands commands, CancellationToken ct)
    {
        var results = new List<CommandResult>();
        if (body.Enabled is { } enabled) results.Add(await commands.SetEnabledAsync(user, id, enabled));
        if (body.SiteIds is { } sites) results.Add(await commands.SetSitesAsync(user, id, sites.Distinct().ToList()));
        if (body.AllEvents == true) results.Add(await commands.SetEventsAsync(user, id, null));
        else if (body.Events is { } events) results.Add(await commands.SetEventsAsync(user, id, events.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct().ToList()));
        if (body.TestEventCode is { } code) results.Add(await commands.SetTestEventCodeAsync(user, id, code.Length == 0 ? null : code));
        if (results.Count == 0) return Invalid("body", "Send at least one of enabled, siteIds, events, allEvents, testEventCode.");
        return results.FirstOrDefault(r => !r.Succeeded) is { } failed ? Answer(failed) : Results.Ok(new CommandAnswer(string.Join(" ", results.Select(r => r.Message))));
    }

    private static Task<DeliveryPage> DeliveriesAsync(DeliveryQueries deliveries, DateTime? from, DateTime? to, Platform? platform, int? destinationId,
        string? eventName, DeliveryStatusFilter? status, string? platformCode, string? eventId, int? skip, int? take, CancellationToken ct) =>
        deliveries.PageAsync(new DeliveryFilter
        {
            From = from?.ToUniversalTime(), To = to?.ToUniversalTime(), Platform = platform, DestinationId = destinationId, EventName = eventName,
            Status = status, PlatformCode = platformCode, EventId = eventId,
        }, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500), ct);
}
