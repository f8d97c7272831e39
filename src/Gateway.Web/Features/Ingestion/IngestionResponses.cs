using Gateway.Core.Validation;
using Gateway.Infrastructure.Ingestion;
using Gateway.Web.Features.Errors;

namespace Gateway.Web.Features.Ingestion;

/// <summary>Turns an ingestion outcome into HTTP: 202 with per-event results, or RFC 7807 problem details.</summary>
internal static class IngestionResponses
{
    public static IResult From(IngestionOutcome outcome)
    {
        if (outcome.BodyError is { } bodyError)
            return Problems.Validation([bodyError], null);

        var results = outcome.Events.Select(e => new
        {
            index = e.Index,
            event_id = e.EventId,
            status = e.Status.ToString().ToLowerInvariant(),
            errors = e.Errors.Count == 0 ? null : e.Errors.Select(x => new { field = x.Field, message = x.Message }),
            // Identifiers dropped as unusable; the event was kept (add ?strict=true to reject instead).
            warnings = e.Warnings.Count == 0 ? null : e.Warnings.Select(x => new { field = x.Field, message = x.Message }),
            note = e.Note,
        }).ToList();

        var accepted = outcome.Count(EventStatus.Accepted);
        var duplicates = outcome.Count(EventStatus.Duplicate);
        var rejected = outcome.Count(EventStatus.Rejected);
        if (accepted + duplicates == 0)
            return Problems.Validation(outcome.Events.SelectMany(e => e.Errors).ToList(), new { accepted, duplicates, rejected, results, unknown_fields = outcome.UnknownFields });

        return Results.Json(new { accepted, duplicates, rejected, results, unknown_fields = outcome.UnknownFields }, statusCode: StatusCodes.Status202Accepted);
    }
}

/// <summary>RFC 7807 problem details for the API, each naming what to fix.</summary>
internal static class Problems
{

    public static IResult Validation(IReadOnlyList<FieldError> errors, object? detailObject)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToList(),
        };
        if (detailObject is not null) extensions["outcome"] = detailObject;
        var first = errors.FirstOrDefault();
        return Results.Problem(
            title: "The request has invalid fields; nothing was stored.",
            detail: first is null ? null : $"{first.Field}: {first.Message}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""),
            statusCode: StatusCodes.Status400BadRequest, type: ProblemTypes.Uri(ProblemTypes.Validation), extensions: extensions);
    }

    public static IResult Unauthorized(string detail) =>
        Results.Problem(title: "Missing or invalid ingestion key.", detail: detail, statusCode: StatusCodes.Status401Unauthorized, type: ProblemTypes.Uri(ProblemTypes.Unauthorized));

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Not allowed.", detail: detail, statusCode: StatusCodes.Status403Forbidden, type: ProblemTypes.Uri(ProblemTypes.Forbidden));

    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(title: "Unsupported content type.", detail: detail, statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.Uri(ProblemTypes.ContentType));

    public static IResult TooLarge(int maxBytes) =>
        Results.Problem(title: "The request body is too large; nothing was stored.", detail: $"The limit is {maxBytes} bytes; send smaller batches (at most 1000 events).",
            statusCode: StatusCodes.Status413PayloadTooLarge, type: ProblemTypes.Uri(ProblemTypes.TooLarge));
}
