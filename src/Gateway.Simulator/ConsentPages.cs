using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Simulator;

/// <summary>
/// The browser-facing consent screens: TikTok for Business "portal/auth" and the Facebook Login dialog.
/// Plain HTML with forms posting back here; the POST redirects to redirect_uri like the real platforms do.
/// </summary>
internal static class ConsentPages
{
    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/tiktok/portal/auth", TikTokPage);
        group.MapPost("/tiktok/portal/auth", TikTokDecision).DisableAntiforgery();
        group.MapGet("/facebook/v{version}/dialog/oauth", FacebookPage);
        group.MapPost("/facebook/v{version}/dialog/oauth", FacebookDecision).DisableAntiforgery();
    }

    private static string? CheckRedirect(string? redirectUri) =>
        Wire.IsAbsoluteHttpUrl(redirectUri) ? null : "redirect_uri must be an absolute http(s) URL.";

    private static IResult TikTokPage(HttpContext ctx, SimulatorState state)
    {
        var q = ctx.Request.Query;
        var appId = q["app_id"].ToString();
        var redirectUri = q["redirect_uri"].ToString();
        if (appId != state.Options.TikTokAppId)
            return ErrorPage("TikTok for Business (simulator)", $"Unknown app_id \"{appId}\".");
        if (CheckRedirect(redirectUri) is { } redirectError)
            return ErrorPage("TikTok for Business (simulator)", redirectError);
        var grants = string.Concat(state.TikTokAdvertisers.Select(a =>
            $"<li>{H(a.Name)} <small>(advertiser {H(a.AdvertiserId)}, {a.Pixels.Count} pixels)</small></li>"));
        return Page("TikTok for Business (simulator)", $"""
            <p>The app <code>{H(appId)}</code> asks for access to these advertiser accounts:</p>
            <ul>{grants}</ul>
            <p>Permissions: Ads Management, Measurement (Events API), Pixel read.</p>
            {Form(ctx, ("app_id", appId), ("state", q["state"].ToString()), ("redirect_uri", redirectUri))}
            """);
    }

    private static async Task<IResult> TikTokDecision(HttpContext ctx, SimulatorState state)
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        if (form["app_id"].ToString() != state.Options.TikTokAppId || CheckRedirect(redirectUri) is not null)
            return ErrorPage("TikTok for Business (simulator)", "Invalid consent form.");
        var stateParam = form["state"].ToString();
        if (form["decision"].ToString() != "approve")
        {
            // TikTok's deny redirect is undocumented here; mirror OAuth 2.0's access_denied.
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user denied the authorization request.",
                ["state"] = stateParam,
            }));
        }
        var code = state.IssueAuthCode(SimPlatform.TikTok, redirectUri, state.TikTokAdvertisers.Select(a => a.AdvertiserId).ToList(), []);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
        {
            ["auth_code"] = code.Code,
            ["state"] = stateParam,
        }));
    }

    private static IResult FacebookPage(string version, HttpContext ctx, SimulatorState state)
    {
        var q = ctx.Request.Query;
        var clientId = q["client_id"].ToString();
        var redirectUri = q["redirect_uri"].ToString();
        if (clientId != state.Options.MetaAppId)
            return ErrorPage("Facebook (simulator)", $"Invalid App ID: \"{clientId}\".");
        if (CheckRedirect(redirectUri) is { } redirectError)
            return ErrorPage("Facebook (simulator)", redirectError);
        var scope = q["scope"].ToString();
        var accounts = string.Concat(state.MetaAdAccounts.Select(a => $"<li>{H(a.Name)} <small>({H(a.Id)})</small></li>"));
        return Page("Facebook Login (simulator)", $"""
            <p>The app <code>{H(clientId)}</code> would like to access your ad accounts:</p>
            <ul>{accounts}</ul>
            <p>Requested permissions: <code>{H(scope.Length == 0 ? "(none)" : scope)}</code></p>
            {Form(ctx, ("client_id", clientId), ("state", q["state"].ToString()), ("redirect_uri", redirectUri), ("scope", scope))}
            """);
    }

    private static async Task<IResult> FacebookDecision(string version, HttpContext ctx, SimulatorState state)
    {
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        if (form["client_id"].ToString() != state.Options.MetaAppId || CheckRedirect(redirectUri) is not null)
            return ErrorPage("Facebook (simulator)", "Invalid login dialog form.");
        var stateParam = form["state"].ToString();
        if (form["decision"].ToString() != "approve")
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_code"] = "200",
                ["error_description"] = "Permissions error",
                ["error_reason"] = "user_denied",
                ["state"] = stateParam,
            }));
        }
        var requested = form["scope"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var code = state.IssueAuthCode(SimPlatform.Meta, redirectUri, state.MetaAdAccounts.Select(a => a.AccountId).ToList(),
            requested.Length == 0 ? SimulatorState.MetaScopes : requested);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
        {
            ["code"] = code.Code,
            ["state"] = stateParam,
        }));
    }

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string Form(HttpContext ctx, params (string Name, string Value)[] fields)
    {
        var sb = new StringBuilder();
        sb.Append($"<form method=\"post\" action=\"{H(ctx.Request.PathBase + ctx.Request.Path)}\">");
        foreach (var (name, value) in fields)
            sb.Append($"<input type=\"hidden\" name=\"{H(name)}\" value=\"{H(value)}\">");
        sb.Append("<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"primary\">Approve</button> ");
        sb.Append("<button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button></form>");
        return sb.ToString();
    }

    private static IResult ErrorPage(string title, string message) =>
        Page(title, $"<p class=\"error\">{H(message)}</p>", StatusCodes.Status400BadRequest);

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) =>
        Results.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{H(title)}}</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
              body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; padding: 3rem 1rem; color: #1c1e21; }
              main { max-width: 32rem; margin: auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem; box-shadow: 0 1px 4px #0002; }
              h1 { font-size: 1.3rem; } small { color: #606770; } .error { color: #b00020; }
              button { font-size: 1rem; padding: .5rem 1.4rem; border-radius: 6px; border: 1px solid #ccd0d5; background: #fff; cursor: pointer; }
              button.primary { background: #1b74e4; border-color: #1b74e4; color: #fff; }
              .note { font-size: .8rem; color: #606770; margin-top: 1.5rem; }
            </style></head>
            <body><main><h1>{{H(title)}}</h1>{{body}}
            <p class="note">Simulated consent screen — no real account is involved.</p></main></body></html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);
}
