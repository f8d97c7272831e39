using System.Security.Claims;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Platforms;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Features.Connections;

/// <summary>
/// The browser legs of "Connect": start (state + 302 to the platform's consent page) and callback (state check
/// for this user, code exchange, discovery, 302 back to the page). Plain HTTP endpoints, not components,
/// because they redirect off-site. MarketerOrAdmin on every one of them.
/// </summary>
internal static class ConnectionEndpoints
{
    public static IEndpointRouteBuilder MapConnectionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/connections").RequireAuthorization(Policies.Marketer);
        group.MapGet("/connect/{platform}", ConnectAsync);
        group.MapGet("/callback/{platform}", CallbackAsync);
        // For scripts and non-interactive clients; the page itself disconnects over its circuit.
        group.MapPost("/{id:int}/disconnect", DisconnectAsync).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return endpoints;
    }

    public static string RedirectUri(GatewayOptions gateway, IPlatformAdapter adapter) =>
        $"{gateway.PublicBase}/connections/callback/{adapter.Slug}";

    private static async Task<IResult> ConnectAsync(string platform, ClaimsPrincipal user, OAuthStateStore states,
        PlatformAdapters adapters, IOptions<GatewayOptions> gateway, CancellationToken ct)
    {
        if (adapters.ForSlug(platform) is not { } adapter) return Results.NotFound();
        if (adapter.MissingConfiguration() is { } missing) return BackWithError(missing);
        var state = await states.CreateAsync(UserId(user), adapter.Platform, ct);
        return Results.Redirect(adapter.AuthorizeUrl(state, RedirectUri(gateway.Value, adapter)));
    }

    private static async Task<IResult> CallbackAsync(string platform, HttpRequest request, ClaimsPrincipal user, OAuthStateStore states,
        ConnectionService connections, PlatformAdapters adapters, IOptions<GatewayOptions> gateway, CancellationToken ct)
    {
        if (adapters.ForSlug(platform) is not { } adapter) return Results.NotFound();
        var p = adapter.Platform;
        var q = request.Query;
        var label = adapter.Label;
        // The state is checked (and burned) first, even for a cancel: nothing about the response is trusted before.
        var check = await states.ConsumeAsync(q["state"].ToString(), UserId(user), p, ct);
        if (q["error"].ToString() is { Length: > 0 } error)
        {
            return BackWithError(error == "access_denied"
                ? $"You cancelled the {label} authorization."
                : $"{label} did not authorize the connection: {Short(q["error_description"].ToString() is { Length: > 0 } d ? d : error)}");
        }
        if (!check.Succeeded) return BackWithError(check.Message);
        var code = adapter.AuthorizationCode(q);
        if (code.Length == 0) return BackWithError($"{label} sent no authorization code.");

        var by = user.Identity?.Name ?? UserId(user);
        var outcome = await connections.CompleteAsync(p, code, RedirectUri(gateway.Value, adapter), by, ct);
        return outcome.Succeeded ? Results.LocalRedirect($"/connections?connected={outcome.ConnectionId}") : BackWithError(outcome.Error!);
    }

    private static async Task<IResult> DisconnectAsync(int id, ClaimsPrincipal user, ConnectionService connections, CancellationToken ct) =>
        await connections.DisconnectAsync(id, user.Identity?.Name ?? UserId(user), ct)
            ? Results.LocalRedirect($"/connections?disconnected={id}")
            : Results.NotFound();

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Signed-in user without an id.");

    private static IResult BackWithError(string message) => Results.LocalRedirect("/connections?error=" + Uri.EscapeDataString(Short(message)));

    private static string Short(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
