using System.Buffers;
using Gateway.Core.Events;
using Gateway.Core.Validation;
using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Web.Features.Ingestion;

/// <summary>
/// The ingestion API. `POST /api/v1/events` takes one event or `{"events":[…]}` with a server key
/// (`Authorization: Bearer gk_…`); `POST /api/v1/collect?key=gb_…` takes one browser event from the snippet,
/// only from the site's allowed origins. Both answer 202 only after the outbox committed.
/// </summary>
internal static class IngestionEndpoints
{
    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AllowAnonymous().DisableAntiforgery();
        api.MapPost("/events", IngestEventsAsync);
        api.MapPost("/collect", CollectAsync);
        api.MapMethods("/collect", ["OPTIONS"], CollectPreflightAsync);
        return endpoints;
    }

    private static async Task<IResult> IngestEventsAsync(HttpContext http, IngestionKeyAuthenticator keys, IngestionService ingestion, bool? atomic, bool? strict, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var caller = await keys.AuthenticateAsync(presented, ct);
        if (caller is null || caller.Kind != IngestionKeyKind.Server)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized(caller is null
                ? "Send a valid, unrevoked ingestion key as 'Authorization: Bearer gk_…' (Settings → Sites and keys)."
                : "Browser keys (gb_…) only work on /api/v1/collect; use a server key (gk_…) here.");
        }
        if (!IsJson(http.Request.ContentType))
            return Problems.UnsupportedMediaType("Send the body as 'Content-Type: application/json'.");

        using var body = await RequestBody.ReadAsync(http, caller.Site.Limits.MaxBodyBytes, ct);
        if (body is null) return Problems.TooLarge(caller.Site.Limits.MaxBodyBytes);
        var outcome = await ingestion.IngestAsync(caller, body.Memory, new IngestionRequest(Atomic: atomic ?? false, Strict: strict ?? false), ct);
        return IngestionResponses.From(outcome);
    }

    private static async Task<IResult> CollectAsync(HttpContext http, IngestionKeyAuthenticator keys, IngestionService ingestion, string? key, CancellationToken ct)
    {
        var caller = await keys.AuthenticateAsync(key, ct);
        if (caller is null || caller.Kind != IngestionKeyKind.Browser)
            return Problems.Unauthorized("Pass a valid browser key (gb_…) as ?key=.");
        var origin = http.Request.Headers.Origin.ToString();
        if (!OriginAllowed(caller, origin))
            return Problems.Forbidden($"Origin '{origin}' is not an allowed origin of this site (Settings → Sites).");
        AddCorsHeaders(http, origin);

        using var body = await RequestBody.ReadAsync(http, caller.Site.Limits.MaxBodyBytes, ct);
        if (body is null) return Problems.TooLarge(caller.Site.Limits.MaxBodyBytes);
        var outcome = await ingestion.IngestAsync(caller, body.Memory,
            new IngestionRequest(Atomic: true, ForcedSource: EventSource.Browser, VisitorIp: VisitorIp(http)), ct);
        if (outcome.IsBatch) return Problems.Validation([new FieldError("events", "the collect endpoint takes one event per request")], null);
        return IngestionResponses.From(outcome);
    }

    private static async Task<IResult> CollectPreflightAsync(HttpContext http, IngestionKeyAuthenticator keys, string? key, CancellationToken ct)
    {
        var caller = await keys.AuthenticateAsync(key, ct);
        var origin = http.Request.Headers.Origin.ToString();
        if (caller is null || caller.Kind != IngestionKeyKind.Browser || !OriginAllowed(caller, origin)) return Results.StatusCode(StatusCodes.Status403Forbidden);
        AddCorsHeaders(http, origin);
        http.Response.Headers.AccessControlAllowMethods = "POST";
        http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
        http.Response.Headers.AccessControlMaxAge = "600";
        return Results.NoContent();
    }

    /// <summary>
    /// The visitor's address: the connection's, or the client's from X-Forwarded-For when the forwarded-headers
    /// middleware trusts the proxy (Gateway:ForwardedHeaders; never by default). IPv4-mapped IPv6 is shown as
    /// IPv4; other IPv6 addresses are kept as they are.
    /// </summary>
    private static string? VisitorIp(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;

    /// <summary>Browser keys are public by nature, so the origin check is what limits them to the site.</summary>
    private static bool OriginAllowed(IngestionCaller caller, string origin) =>
        origin.Length > 0 && caller.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    private static void AddCorsHeaders(HttpContext http, string origin)
    {
        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));
}
