using System.Buffers;
using Gateway.Core.Events;
using Gateway.Core.Validation;
using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Sites;
using Microsoft.AspNetCore.Http.Features;
using Gateway.Web.Features.ApiDocs;

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
        api.MapPost("/events", IngestEventsAsync)
            .WithName("IngestEvents").WithTags("Ingestion")
            .WithSummary("Send one event, or up to 1000 as {\"events\":[…]}, with a server key")
            .WithDescription("Answers 202 only after the events are committed to disk, with a result per event (accepted, duplicate, rejected) " +
                             "and warnings for dropped identifiers. ?atomic=true: one bad event rejects the batch. ?strict=true: a bad identifier rejects its event.")
            .Accepts<EventDocument>("application/json")
            .Produces<IngestionAnswer>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new ApiExample(ExampleEvent));
        api.MapPost("/collect", CollectAsync)
            .WithName("CollectBrowserEvent").WithTags("Ingestion")
            .WithSummary("One browser event from the snippet, with a browser key, from an allowed origin")
            .WithDescription("The visitor's IP comes from the connection (or a trusted proxy), never from the body. text/plain is accepted, as navigator.sendBeacon sends.")
            .Accepts<EventDocument>("application/json", "text/plain")
            .Produces<IngestionAnswer>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithMetadata(new ApiExample(ExampleEvent));
        api.MapGet("/collect/names", BrowserNamesAsync)
            .WithName("CollectEventNames").WithTags("Ingestion")
            .WithSummary("The platform event names the snippet gives the browser pixels, for a browser key, from an allowed origin")
            .WithDescription("Per platform (tiktok, meta): canonical name → the name the server copy is sent as (null: not sent), overrides of the site's one routed pixel included, so Pixel and server copies deduplicate.")
            .Produces<Dictionary<string, Dictionary<string, string?>>>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapMethods("/collect", ["OPTIONS"], CollectPreflightAsync)
            .WithName("CollectPreflight").WithTags("Ingestion").WithSummary("CORS preflight for the collect endpoint")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status403Forbidden);
        return endpoints;
    }

    /// <summary>The documented example: a purchase with every common match key, timed now.</summary>
    public static string ExampleEvent(DateTimeOffset now) => System.Text.Json.JsonSerializer.Serialize(new
    {
        event_name = "Purchase", event_id = "order-1001", event_time = now.ToUnixTimeSeconds(), action_source = "website",
        event_source_url = "https://shop.example/checkout/done", referrer = "https://shop.example/cart", source = "server",
        user_data = new
        {
            email = "Jane.Doe@example.com", phone = "+1 415 555 0123", external_id = "cust-42", first_name = "Jane", last_name = "Doe",
            country = "US", zip = "94105", client_ip_address = "203.0.113.7",
            client_user_agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            fbp = "fb.1.1763683000000.123456789", ttclid = "E.C.P.v3Qz",
        },
        custom_data = new { value = 49.90, currency = "EUR", order_id = "1001", contents = new[] { new { id = "sku-1", quantity = 1, item_price = 49.90 } } },
        consent = new { ad_user_data = "granted", ad_personalization = "granted" },
    });

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

    private static async Task<IResult> BrowserNamesAsync(HttpContext http, IngestionKeyAuthenticator keys, RoutingTable routing, string? key, CancellationToken ct)
    {
        var caller = await keys.AuthenticateAsync(key, ct);
        if (caller is null || caller.Kind != IngestionKeyKind.Browser)
            return Problems.Unauthorized("Pass a valid browser key (gb_…) as ?key=.");
        var origin = http.Request.Headers.Origin.ToString();
        if (!OriginAllowed(caller, origin))
            return Problems.Forbidden($"Origin '{origin}' is not an allowed origin of this site (Settings → Sites).");
        AddCorsHeaders(http, origin);
        // Mapping changes reach pages within a minute; the snippet asks once per page.
        http.Response.Headers.CacheControl = "private, max-age=60";
        return Results.Ok(await routing.BrowserNamesAsync(caller.SiteId, ct));
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
