namespace Gateway.Web;

/// <summary>
/// Serves `/_framework/blazor.web.js` from the copy that build/BlazorScript.targets extracts at build
/// time (the official assets package does not restore here). Delete together with that file.
/// </summary>
internal static class BlazorClientScript
{
    public static IEndpointRouteBuilder MapBlazorClientScript(this IEndpointRouteBuilder endpoints)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "blazor-client", "blazor.web.js");
        endpoints.MapGet("/_framework/blazor.web.js", (HttpContext http) =>
        {
            if (!File.Exists(path)) return Results.Problem("blazor.web.js was not extracted at build time", statusCode: 500);
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(path, "text/javascript");
        }).AllowAnonymous();
        return endpoints;
    }
}
