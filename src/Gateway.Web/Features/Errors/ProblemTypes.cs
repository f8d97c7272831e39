using System.Net;

namespace Gateway.Web.Features.Errors;

/// <summary>
/// The problem `type` URIs the API answers with. They are relative (RFC 7807 allows it) and served by the
/// gateway itself at /problems/{slug}, so they resolve on every install; docs/problems.md lists them.
/// </summary>
public static class ProblemTypes
{
    public const string Validation = "validation";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string ContentType = "content-type";
    public const string TooLarge = "too-large";
    public const string NotFound = "not-found";
    public const string Internal = "internal";
    public const string Http = "http";

    public sealed record ProblemType(string Slug, int Status, string Title, string Explanation);

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        new(Validation, 400, "Invalid fields", "One or more fields are invalid. `errors[]` names each field (for example `events[3].user_data.email`) and says what is wrong. Nothing was stored for a rejected event; in a batch, the other events are answered one by one unless `?atomic=true` was used."),
        new(Unauthorized, 401, "Missing or invalid key", "Send a server key as `Authorization: Bearer gk_…` (or a browser key as `?key=gb_…` for /api/v1/collect). Keys are created and revoked in Settings → Sites and keys."),
        new(Forbidden, 403, "Not allowed", "The key or the signed-in user may not do this: a browser key used from an origin the site does not allow, a revoked key, or a role without the right."),
        new(ContentType, 415, "Unsupported content type", "Send `Content-Type: application/json` (the collect endpoint also takes `text/plain`, as `navigator.sendBeacon` does)."),
        new(TooLarge, 413, "Body too large", "The body is over the limit. Send smaller batches (at most 1000 events per request)."),
        new(NotFound, 404, "Not found", "No endpoint or record at this address."),
        new(Internal, 500, "Internal error", "The gateway failed while handling the request. The answer carries a `traceId`; the server log has the details under that id. Retry with the same event ids: the gateway deduplicates them."),
        new(Http, 0, "HTTP error", "A generic HTTP error without a more specific type; the status code says what happened."),
    ];

    public static string Uri(string slug) => "/problems/" + slug;

    /// <summary>Requests whose failures answer problem+json rather than a page.</summary>
    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/compat");

    /// <summary>`GET /problems/{slug}`: a small public page explaining one problem type.</summary>
    public static IEndpointRouteBuilder MapProblemTypes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/problems/{slug}", (string slug) =>
        {
            var type = All.FirstOrDefault(t => t.Slug == slug);
            if (type is null) return Results.NotFound();
            var status = type.Status == 0 ? "" : $"<p>HTTP {type.Status}</p>";
            var html = $"""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(type.Title)} · Conversions Gateway</title></head>
                <body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; line-height: 1.5">
                <h1>{WebUtility.HtmlEncode(type.Title)}</h1>{status}<p>{WebUtility.HtmlEncode(type.Explanation)}</p>
                <p>Problem type <code>{WebUtility.HtmlEncode(Uri(type.Slug))}</code>.</p></body></html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
