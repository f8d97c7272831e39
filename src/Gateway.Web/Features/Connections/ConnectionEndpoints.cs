using System.Security.Claims;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Platforms;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Gateway.Web.Features.Connections;

/// <summary>
/// The browser legs of "Connect": start (state + 302 to the platform's consent page) and callback (state check
/// for this user, code exchange, discovery, 302 back to the page). Plain HTTP endpoints, not components,
/// because they redirect off-site. MarketerOrAdmin on every one of them.
/// </summary>
internal static class ConnectionEndpoints
{
    public const string MetaScopes = "ads_management,ads_read,business_management";

    public static IEndpointRouteBuilder MapConnectionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/connections").RequireAuthorization(Policies.Marketer);
        group.MapGet("/connect/{platform}", ConnectAsync);
        group.MapGet("/callback/{platform}", CallbackAsync);
        // For scripts and non-interactive clients; the page itself disconnects over its circuit.
        group.MapPost("/{id:int}/disconnect", DisconnectAsync).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return endpoints;
    }

    public static bool TryParse(string? value, out Platform platform)
    {
        switch (value?.ToLowerInvariant())
        {
            case "tiktok": platform = Platform.TikTok; return true;
            case "meta": platform = Platform.Meta; return true;
            default: platform = default; return false;
        }
    }

    public static string Slug(Platform platform) => platform == Platform.TikTok ? "tiktok" : "meta";

    public static string RedirectUri(GatewayOptions gateway, Platform platform) =>
        $"{gateway.PublicBaseUrl.TrimEnd('/')}/connections/callback/{Slug(platform)}";

    /// <summary>What to configure when the app credentials are missing; null when they are set.</summary>
    public static string? MissingConfiguration(PlatformOptions options, Platform platform) => platform switch
    {
        Platform.TikTok when string.IsNullOrEmpty(options.TikTok.AppId) || string.IsNullOrEmpty(options.TikTok.AppSecret) =>
            "Set Platforms__TikTok__AppId and Platforms__TikTok__AppSecret (your TikTok for Business developer app) in the environment, then restart.",
        Platform.Meta when string.IsNullOrEmpty(options.Meta.AppId) || string.IsNullOrEmpty(options.Meta.AppSecret) =>
            "Set Platforms__Meta__AppId and Platforms__Meta__AppSecret (your Meta app with Facebook Login) in the environment, then restart.",
        _ => null,
    };

    private static async Task<IResult> ConnectAsync(string platform, ClaimsPrincipal user, OAuthStateStore states,
        IOptions<PlatformOptions> platforms, IOptions<GatewayOptions> gateway, CancellationToken ct)
    {
        if (!TryParse(platform, out var p)) return Results.NotFound();
        if (MissingConfiguration(platforms.Value, p) is { } missing) return BackWithError(missing);
        var state = await states.CreateAsync(UserId(user), p, ct);
        var redirectUri = RedirectUri(gateway.Value, p);
        var o = platforms.Value;
        var url = p == Platform.TikTok
            ? QueryHelpers.AddQueryString($"{o.TikTok.AuthBaseUrl.TrimEnd('/')}/portal/auth",
                new Dictionary<string, string?> { ["app_id"] = o.TikTok.AppId, ["state"] = state, ["redirect_uri"] = redirectUri })
            : QueryHelpers.AddQueryString($"{o.Meta.FacebookBaseUrl.TrimEnd('/')}/{o.Meta.GraphVersion}/dialog/oauth",
                new Dictionary<string, string?> { ["client_id"] = o.Meta.AppId, ["redirect_uri"] = redirectUri, ["state"] = state, ["scope"] = MetaScopes });
        return Results.Redirect(url);
    }

    private static async Task<IResult> CallbackAsync(string platform, HttpRequest request, ClaimsPrincipal user, OAuthStateStore states,
        ConnectionService connections, IOptions<GatewayOptions> gateway, CancellationToken ct)
    {
        if (!TryParse(platform, out var p)) return Results.NotFound();
        var q = request.Query;
        var label = ConnectionService.Label(p);
        // The state is checked (and burned) first, even for a cancel: nothing about the response is trusted before.
        var check = await states.ConsumeAsync(q["state"].ToString(), UserId(user), p, ct);
        if (q["error"].ToString() is { Length: > 0 } error)
        {
            return BackWithError(error == "access_denied"
                ? $"You cancelled the {label} authorization."
                : $"{label} did not authorize the connection: {Short(q["error_description"].ToString() is { Length: > 0 } d ? d : error)}");
        }
        if (!check.Succeeded) return BackWithError(check.Message);
        var code = (p == Platform.TikTok ? q["auth_code"] : q["code"]).ToString();
        if (code.Length == 0) return BackWithError($"{label} sent no authorization code.");

        var by = user.Identity?.Name ?? UserId(user);
        var outcome = p == Platform.TikTok
            ? await connections.CompleteTikTokAsync(code, by, ct)
            : await connections.CompleteMetaAsync(code, RedirectUri(gateway.Value, p), by, ct);
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
