using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Compat;
using Gateway.Infrastructure.Ingestion;
using Gateway.Infrastructure.Sites;
using Gateway.Web.Features.Ingestion;

namespace Gateway.Web.Features.Compat;

/// <summary>
/// Drop-in endpoints: an integration written for Meta's Conversions API or TikTok's Events API switches to the
/// gateway by changing its base URL; the token it sends is a gateway server key. Bodies are translated
/// (Gateway.Core/Compat) and ingested like /api/v1/events, then fan out to every routed destination, so a
/// Meta-shaped request reaches TikTok too. Answers use each platform's own shapes (docs/platforms.md#drop-in-endpoints).
/// One bad event fails the request, as on the platforms.
/// </summary>
internal static class CompatEndpoints
{
    private const int MaxBodyBytes = 5 * 1024 * 1024;

    public static IEndpointRouteBuilder MapCompatEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var compat = endpoints.MapGroup("/compat").AllowAnonymous().DisableAntiforgery().WithTags("Drop-in");
        compat.MapPost("/meta/{version}/{pixelId}/events", MetaAsync)
            .WithName("MetaCompatibleEvents")
            .WithSummary("Meta Conversions API body, sent to the gateway instead of graph.facebook.com")
            .WithDescription("access_token (body or query) is a gateway server key. Answers { events_received, messages, fbtrace_id } or Meta-style { error }.")
            .Accepts<JsonObject>("application/json")
            .Produces<JsonObject>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest);
        compat.MapPost("/tiktok/open_api/v1.3/event/track/", TikTokAsync)
            .WithName("TikTokCompatibleEvents")
            .WithSummary("TikTok Events API 2.0 body, sent to the gateway instead of business-api.tiktok.com")
            .WithDescription("The Access-Token header is a gateway server key. Answers TikTok's { code, message, request_id, data } envelope.")
            .Accepts<JsonObject>("application/json")
            .Produces<JsonObject>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest);
        return endpoints;
    }

    private static string TraceId(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    private static async Task<IResult> MetaAsync(string version, string pixelId, HttpContext http, IngestionKeyAuthenticator keys, IngestionService ingestion, CancellationToken ct)
    {
        var trace = TraceId(http);
        IResult MetaError(int status, string message, int code, int? subcode = null) => Results.Json(new
        {
            error = new { message, type = code == 190 ? "OAuthException" : "GraphMethodException", code, error_subcode = subcode, is_transient = false, fbtrace_id = trace },
        }, statusCode: status);

        var json = await ReadJsonAsync(http, ct);
        if (json is null) return MetaError(400, "The request body must be a JSON object of at most 5 MB.", 100);
        var token = (json["access_token"] as JsonValue)?.ToString() ?? http.Request.Query["access_token"].ToString();
        var caller = await keys.AuthenticateAsync(token, ct);
        if (caller is null || caller.Kind != IngestionKeyKind.Server)
            return MetaError(400, "Invalid OAuth access token: pass a gateway server key (gk_…) as access_token.", 190);

        var translated = CompatTranslators.FromMeta(json);
        if (translated.Error is { } error) return MetaError(400, error, 100);
        var outcome = await ingestion.IngestAsync(caller, JsonSerializer.SerializeToUtf8Bytes(translated.Body), new IngestionRequest(Atomic: true), ct);
        if (outcome.BodyError is { } bodyError) return MetaError(400, $"{bodyError.Field}: {bodyError.Message}", 100);
        if (outcome.Events.FirstOrDefault(e => e.Status == EventStatus.Rejected && e.Errors.Count > 0) is { } rejected)
        {
            var first = rejected.Errors[0];
            return MetaError(400, $"Invalid parameter: data[{rejected.Index}] {first.Field.Replace("events[" + rejected.Index + "].", "", StringComparison.Ordinal)} {first.Message}", 100, 2804050);
        }
        var messages = outcome.Events.SelectMany(e => e.Warnings.Select(w => $"data[{e.Index}]: {w.Field} {w.Message}")).ToList();
        return Results.Json(new { events_received = outcome.Events.Count(e => e.Status != EventStatus.Rejected), messages, fbtrace_id = trace });
    }

    private static async Task<IResult> TikTokAsync(HttpContext http, IngestionKeyAuthenticator keys, IngestionService ingestion, CancellationToken ct)
    {
        var requestId = TraceId(http);
        // TikTok answers HTTP 200 with a non-zero code for errors; its own clients read the code.
        IResult Envelope(int code, string message) => Results.Json(new { code, message, request_id = requestId, data = new { } });

        var caller = await keys.AuthenticateAsync(http.Request.Headers["Access-Token"].ToString(), ct);
        if (caller is null || caller.Kind != IngestionKeyKind.Server)
            return Envelope(40105, "Access token is incorrect or has been revoked: send a gateway server key (gk_…) in Access-Token.");
        var json = await ReadJsonAsync(http, ct);
        if (json is null) return Envelope(40002, "The request body must be a JSON object of at most 5 MB.");
        var translated = CompatTranslators.FromTikTok(json);
        if (translated.Error is { } error) return Envelope(40002, error);
        var outcome = await ingestion.IngestAsync(caller, JsonSerializer.SerializeToUtf8Bytes(translated.Body), new IngestionRequest(Atomic: true), ct);
        if (outcome.BodyError is { } bodyError) return Envelope(40002, $"{bodyError.Field}: {bodyError.Message}");
        if (outcome.Events.FirstOrDefault(e => e.Status == EventStatus.Rejected && e.Errors.Count > 0) is { } rejected)
            return Envelope(40002, $"data[{rejected.Index}]: {rejected.Errors[0].Field.Replace("events[" + rejected.Index + "].", "", StringComparison.Ordinal)} {rejected.Errors[0].Message}");
        return Envelope(0, "OK");
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext http, CancellationToken ct)
    {
        // The ingestion endpoints' pooled reader: it refuses bodies over the limit, with or without Content-Length.
        using var body = await RequestBody.ReadAsync(http, MaxBodyBytes, ct);
        if (body is null) return null;
        try
        {
            return JsonNode.Parse(body.Memory.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
