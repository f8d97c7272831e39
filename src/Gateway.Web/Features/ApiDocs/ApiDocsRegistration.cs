using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Gateway.Web.Features.ApiDocs;

/// <summary>
/// OpenAPI for the public API at /openapi/v1.json and interactive docs (Scalar) at /docs/api. Only the API
/// surface is described (ingestion; management and compatibility endpoints as they come), not the
/// dashboard's own browser flows.
/// </summary>
internal static class ApiDocsRegistration
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static bool IsPublicApi(string? relativePath) =>
        relativePath is not null && (relativePath.StartsWith("api/", StringComparison.Ordinal) || relativePath.StartsWith("compat/", StringComparison.Ordinal));

    public static IServiceCollection AddApiDocs(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.ShouldInclude = d => IsPublicApi(d.RelativePath);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Conversions Gateway API",
                Version = "v1",
                Description = "Send each conversion once; the gateway validates, hashes, applies consent, deduplicates, queues and delivers it " +
                              "to TikTok and Meta. Errors are RFC 7807 problem details; their type URIs are served at /problems/{slug}.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["ServerKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "A server ingestion key (gk_…), created in Settings → Sites and keys.",
            };
            document.Components.SecuritySchemes["BrowserKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Query, Name = "key",
                Description = "A browser ingestion key (gb_…), accepted only from the site's allowed origins.",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            // Examples built at request time, so their event_time is always inside the accepted window.
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiExample>().FirstOrDefault() is { } example
                && operation.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values)
                    media.Example = JsonNode.Parse(example.Json(DateTimeOffset.UtcNow));
            }
            return Task.CompletedTask;
        });
    });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference("/docs/api", o => o
            .WithTitle("Conversions Gateway API")
            .WithOpenApiRoutePattern(DocumentPath)).AllowAnonymous();
        return app;
    }
}

/// <summary>Endpoint metadata: the documented request example (also what the OpenAPI test posts).</summary>
public sealed record ApiExample(Func<DateTimeOffset, string> Json);
