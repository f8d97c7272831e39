using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Web.Features.Errors;

/// <summary>
/// Unhandled errors in API endpoints answer RFC 7807 problem+json with a trace id and nothing internal
/// (no message, no stack); page requests fall through to the /error page. Both are logged here once.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        // By now the middleware has already rewritten Request.Path to /error; the original is in the feature.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value ?? "";
        LogUnhandled(exception, httpContext.Request.Method, path, traceId);
        if (!ProblemTypes.IsApiPath(new PathString(path))) return false;

        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = ProblemTypes.Uri(ProblemTypes.Internal),
                Title = "The gateway failed to handle this request.",
                Detail = "Nothing was stored by this request unless its answer said so. Retry it; if it keeps failing, give the trace id to your administrator.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path} (trace {TraceId})")]
    private partial void LogUnhandled(Exception exception, string method, string path, string traceId);
}
