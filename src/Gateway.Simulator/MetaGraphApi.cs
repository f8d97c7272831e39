using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Simulator;

/// <summary>The Meta Graph API surface: Conversions API, OAuth token endpoints, debug_token, ad account and pixel discovery.</summary>
internal static partial class MetaGraphApi
{
    public static void Map(IEndpointRouteBuilder group)
    {
        var graph = group.MapGroup("/meta-graph/v{version}");
        graph.MapPost("/{pixelId}/events", Events);
        graph.MapGet("/oauth/access_token", AccessToken);
        graph.MapGet("/debug_token", DebugToken);
        graph.MapGet("/me", Me);
        graph.MapGet("/me/adaccounts", AdAccounts);
        graph.MapGet("/act_{accountId}/adspixels", AdsPixels);
        graph.MapGet("/dataset_quality", DatasetQuality);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{1,2}\\.0$")]
    private static partial System.Text.RegularExpressions.Regex Version();

    /// <summary>Graph error object; every error carries an fbtrace_id.</summary>
    internal static IResult Error(int status, string message, int code, int? subcode = null, bool transient = false,
        string? userMessage = null, string type = "OAuthException", string? fbtraceId = null) =>
        Wire.JsonResult(new
        {
            error = new
            {
                message,
                type,
                code,
                error_subcode = subcode,
                is_transient = transient,
                error_user_title = userMessage is null ? null : "Server-side API parameter error",
                error_user_msg = userMessage,
                fbtrace_id = fbtraceId ?? Wire.NewFbTraceId(),
            },
        }, status);

    private static IResult? CheckVersion(string version) =>
        Version().IsMatch(version) ? null : Error(400, $"Unknown path components: /v{version}", 2500);

    private static string? TokenFrom(HttpContext ctx, JsonElement body)
    {
        if (Wire.StringProp(body, "access_token") is { Length: > 0 } fromBody)
            return fromBody;
        if (ctx.Request.Query["access_token"].ToString() is { Length: > 0 } fromQuery)
            return fromQuery;
        var auth = ctx.Request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["Bearer ", "OAuth "])
        {
            if (auth.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                return auth[scheme.Length..].Trim();
        }
        return null;
    }

    private static (SimToken? Token, int Code, int? Subcode, string? Message) CheckToken(SimulatorState state, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return (null, MetaCodes.TokenMissing, null, "An access token is required to request this resource.");
        var token = state.FindToken(value);
        if (token is null || token.Platform != SimPlatform.Meta)
            return (null, MetaCodes.OAuth, MetaCodes.TokenInvalidSubcode, "Invalid OAuth access token - Cannot parse access token");
        if (token.Revoked)
            return (null, MetaCodes.OAuth, MetaCodes.TokenInvalidSubcode, "Error validating access token: The session has been invalidated.");
        if (token.IsExpired(state.Now))
            return (null, MetaCodes.OAuth, MetaCodes.TokenExpiredSubcode,
                $"Error validating access token: Session has expired on {token.ExpiresAt:R}.");
        return (token, 0, null, null);
    }

    private static async Task<IResult> Events(string version, string pixelId, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var fbtrace = Wire.NewFbTraceId();
        var (body, doc) = await Wire.ReadJsonBodyAsync(ctx);
        using var _ = doc;
        var root = doc?.RootElement ?? default;
        var testEventCode = Wire.StringProp(root, "test_event_code");
        var eventCount = Wire.Prop(root, "data") is { ValueKind: JsonValueKind.Array } d ? d.GetArrayLength() : 0;

        var faulted = await FaultRunner.ApplyAsync(ctx, state, SimPlatform.Meta, [pixelId], f =>
        {
            switch (f.Kind)
            {
                case FaultKind.Throttle:
                    ctx.Response.Headers.RetryAfter = (f.RetryAfterSeconds ?? 1).ToString(CultureInfo.InvariantCulture);
                    return Error(f.HttpStatus ?? 429, f.Message ?? "(#4) Application request limit reached", (int)(f.Code ?? MetaCodes.AppRateLimit),
                        f.Subcode, transient: true, fbtraceId: fbtrace);
                case FaultKind.ServerError:
                    return Error(f.HttpStatus ?? 503, f.Message ?? "An unexpected error has occurred. Please retry your request later.",
                        (int)(f.Code ?? 2), f.Subcode, transient: true, fbtraceId: fbtrace);
                default:
                    return Error(f.HttpStatus ?? 400, f.Message ?? "Scripted error", (int)(f.Code ?? MetaCodes.InvalidParameter), f.Subcode,
                        fbtraceId: fbtrace);
            }
        });
        if (faulted is not null)
            return faulted;

        IResult Reject(int status, string message, int code, int? subcode, string? userMessage = null)
        {
            state.RecordRequest(SimPlatform.Meta, pixelId, status, code, userMessage ?? message, eventCount, testEventCode, fbtrace, body);
            return Error(status, message, code, subcode, userMessage: userMessage, fbtraceId: fbtrace);
        }

        if (doc is null || root.ValueKind != JsonValueKind.Object)
            return Reject(400, "Invalid parameter: the request body must be a JSON object", MetaCodes.InvalidParameter, MetaCodes.ParameterSubcode);
        var (token, tokenCode, tokenSubcode, tokenMessage) = CheckToken(state, TokenFrom(ctx, root));
        if (token is null)
            return Reject(400, tokenMessage!, tokenCode, tokenSubcode);

        var pixel = state.MetaPixels.FirstOrDefault(p => p.Id == pixelId);
        if (pixel is null || !token.Grants.Contains(pixel.AccountId))
            return Reject(400, $"Unsupported post request. Object with ID '{pixelId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                MetaCodes.InvalidParameter, MetaCodes.ObjectNotFoundSubcode);
        if (Wire.Prop(root, "test_event_code") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.String) })
            return Reject(400, "Invalid parameter: test_event_code must be a string", MetaCodes.InvalidParameter, MetaCodes.ParameterSubcode,
                "test_event_code must be a string");

        var (valid, failure) = MetaEventValidator.Validate(Wire.Prop(root, "data"), state.Now, state);
        if (failure is not null)
            return Reject(400, "Invalid parameter: " + failure.Message, MetaCodes.InvalidParameter, failure.Subcode, failure.Message);

        state.RecordAccepted(SimPlatform.Meta, pixelId, testEventCode, fbtrace, 200, valid!.Events);
        return Wire.JsonResult(new { events_received = valid.Events.Count, messages = Array.Empty<string>(), fbtrace_id = fbtrace });
    }

    private static IResult AccessToken(string version, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var q = ctx.Request.Query;
        var o = state.Options;
        if (q["client_id"].ToString() != o.MetaAppId)
            return Error(400, "Error validating application. Invalid application ID.", 101);
        if (q["client_secret"].ToString() != o.MetaAppSecret)
            return Error(400, "Error validating client secret.", MetaCodes.ClientSecretInvalid);

        if (q["grant_type"].ToString() == "fb_exchange_token")
        {
            var (shortLived, code, subcode, message) = CheckToken(state, q["fb_exchange_token"].ToString());
            if (shortLived is null)
                return Error(400, message!, code, subcode);
            var longLived = state.IssueMetaToken(o.MetaLongLivedTokenLifetime, shortLived.Grants, TokenKind.LongLived, shortLived.Scopes);
            return Wire.JsonResult(new { access_token = longLived.Value, token_type = "bearer", expires_in = (long)o.MetaLongLivedTokenLifetime.TotalSeconds });
        }

        // Subcodes 36007/36008/36009 (expired / redirect mismatch / already used) as reported by Graph users; not in docs reachable here.
        var (authCode, error) = state.RedeemAuthCode(SimPlatform.Meta, q["code"].ToString());
        if (authCode is null)
            return Error(400, $"Invalid verification code format or code {error}.", MetaCodes.InvalidParameter, error == "expired" ? 36007 : 36009);
        if (q["redirect_uri"].ToString() != authCode.RedirectUri)
            return Error(400, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
                MetaCodes.InvalidParameter, 36008);
        var token = state.IssueMetaToken(o.MetaShortLivedTokenLifetime, authCode.Grants, TokenKind.Access, authCode.Scopes);
        return Wire.JsonResult(new { access_token = token.Value, token_type = "bearer", expires_in = (long)o.MetaShortLivedTokenLifetime.TotalSeconds });
    }

    private static IResult DebugToken(string version, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var o = state.Options;
        // The inspecting token may be an app token "app_id|app_secret" or any valid user token.
        var inspector = ctx.Request.Query["access_token"].ToString();
        if (inspector != $"{o.MetaAppId}|{o.MetaAppSecret}" && CheckToken(state, inspector) is { Token: null } bad)
            return Error(400, bad.Message!, bad.Code, bad.Subcode);

        var input = ctx.Request.Query["input_token"].ToString();
        if (input.Length == 0)
            return Error(400, "(#100) The parameter input_token is required", MetaCodes.InvalidParameter);
        var token = state.FindToken(input);
        var (live, code, subcode, message) = CheckToken(state, input);
        if (token is null || token.Platform != SimPlatform.Meta)
            return Wire.JsonResult(new { data = new { is_valid = false, error = new { code, message, subcode }, scopes = Array.Empty<string>() } });
        return Wire.JsonResult(new
        {
            data = new
            {
                app_id = o.MetaAppId,
                type = token.Kind == TokenKind.Configured ? "SYSTEM_USER" : "USER",
                application = "Conversions Gateway (simulator)",
                data_access_expires_at = (token.ExpiresAt ?? token.IssuedAt.AddDays(90)).ToUnixTimeSeconds(),
                expires_at = token.ExpiresAt?.ToUnixTimeSeconds() ?? 0, // 0 = never (system users)
                is_valid = live is not null,
                issued_at = token.IssuedAt.ToUnixTimeSeconds(),
                scopes = token.Scopes,
                user_id = "900000000000001",
                error = live is null ? new { code, message, subcode } : null,
            },
        });
    }

    private static (SimToken? Token, IResult? Error) Authorize(HttpContext ctx, SimulatorState state)
    {
        var (token, code, subcode, message) = CheckToken(state, TokenFrom(ctx, default));
        return token is null ? (null, Error(400, message!, code, subcode)) : (token, null);
    }

    private static IResult Me(string version, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var (_, error) = Authorize(ctx, state);
        return error ?? Wire.JsonResult(new { id = "900000000000001", name = "Simulated Marketer" });
    }

    private static IResult AdAccounts(string version, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var (token, error) = Authorize(ctx, state);
        if (error is not null)
            return error;
        var accounts = state.MetaAdAccounts.Where(a => token!.Grants.Contains(a.AccountId)).ToList();
        return Page(ctx, accounts, "AdAccount", ["id", "account_id", "name", "currency", "account_status"], (a, field) => field switch
        {
            "id" => a.Id,
            "account_id" => a.AccountId,
            "name" => a.Name,
            "currency" => a.Currency,
            "account_status" => 1,
            _ => null,
        });
    }

    // Meta's weights are not published: these rank keys the way Meta's guidance does (email and phone first).
    private static readonly (string Identifier, string[] Fields, double Weight)[] QualityKeys =
    [
        ("email", ["em"], 3), ("phone", ["ph"], 2.5), ("external_id", ["external_id"], 1.5), ("click_id", ["fbc"], 1.5),
        ("browser_id", ["fbp"], 1), ("ip_address", ["client_ip_address"], 0.5), ("user_agent", ["client_user_agent"], 0.5),
        ("name", ["fn", "ln"], 0.25), ("city", ["ct"], 0.25),
    ];

    /// <summary>
    /// Dataset Quality API (GET /dataset_quality?dataset_id=…&amp;fields=web{…}): per web event name, an event match
    /// quality composite score 0–10 and match-key coverage, from the events this simulator accepted for the dataset.
    /// </summary>
    private static IResult DatasetQuality(string version, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var (token, error) = Authorize(ctx, state);
        if (error is not null)
            return error;
        var datasetId = ctx.Request.Query["dataset_id"].ToString();
        if (string.IsNullOrEmpty(datasetId))
            return Error(400, "(#100) The parameter dataset_id is required", MetaCodes.InvalidParameter, type: "OAuthException");
        var account = state.MetaAdAccounts.FirstOrDefault(a => a.Pixels.Any(p => p.Id == datasetId));
        if (account is null || !token!.Grants.Contains(account.AccountId))
            return Error(400, $"Unsupported get request. Object with ID '{datasetId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                MetaCodes.InvalidParameter, MetaCodes.ObjectNotFoundSubcode);
        if (!ctx.Request.Query["fields"].ToString().Contains("web", StringComparison.Ordinal))
            return Wire.JsonResult(new { });

        var web = state.Received(SimPlatform.Meta, datasetId)
            .Where(e => e.TestEventCode is null && e.Payload is { } p && Wire.StringProp(p, "action_source") is null or "website")
            .GroupBy(e => e.EventName, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var users = g.Select(e => e.Payload!.Value.TryGetProperty("user_data", out var u) ? u : default).ToList();
                var coverage = QualityKeys.Select(k => (k.Identifier, k.Weight,
                    Share: users.Count(u => u.ValueKind == JsonValueKind.Object && k.Fields.Any(f => u.TryGetProperty(f, out var v) && v.ValueKind is not JsonValueKind.Null))
                           / (double)users.Count)).ToList();
                var score = Math.Round(Math.Min(10, coverage.Sum(c => c.Weight * c.Share)), 1);
                return new
                {
                    event_name = g.Key,
                    event_match_quality = new
                    {
                        composite_score = score,
                        match_key_feedback = coverage.Where(c => c.Share > 0)
                            .Select(c => new { identifier = c.Identifier, coverage = new { percentage = Math.Round(c.Share * 100, 1) } }).ToList(),
                    },
                    event_coverage = new { percentage = 100, goal_percentage = 75 },
                };
            }).ToList();
        return Wire.JsonResult(new { web });
    }

    private static IResult AdsPixels(string version, string accountId, HttpContext ctx, SimulatorState state)
    {
        if (CheckVersion(version) is { } badVersion)
            return badVersion;
        var (token, error) = Authorize(ctx, state);
        if (error is not null)
            return error;
        var account = state.MetaAdAccounts.FirstOrDefault(a => a.AccountId == accountId);
        if (account is null || !token!.Grants.Contains(accountId))
            return Error(400, $"Unsupported get request. Object with ID 'act_{accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                MetaCodes.InvalidParameter, MetaCodes.ObjectNotFoundSubcode);
        return Page(ctx, account.Pixels.ToList(), "AdsPixel", ["id", "name", "last_fired_time", "creation_time", "is_unavailable"], (p, field) => field switch
        {
            "id" => p.Id,
            "name" => p.Name,
            "last_fired_time" => state.Received(SimPlatform.Meta, p.Id).LastOrDefault()?.ReceivedAt is { } at ? GraphTime(at) : null,
            "creation_time" => "2025-01-15T09:00:00+0000",
            "is_unavailable" => false,
            _ => null,
        });
    }

    private static string GraphTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>Graph edge paging: <c>limit</c> and opaque <c>after</c>/<c>before</c> cursors, a <c>next</c> URL while more remain.</summary>
    private static IResult Page<T>(HttpContext ctx, IReadOnlyList<T> items, string nodeType, string[] known, Func<T, string, object?> field)
    {
        var q = ctx.Request.Query;
        var fields = q["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length == 0)
            fields = ["id"];
        if (fields.FirstOrDefault(f => !known.Contains(f)) is { } unknown)
            return Error(400, $"(#100) Tried accessing nonexisting field ({unknown}) on node type ({nodeType})", MetaCodes.InvalidParameter);
        var limit = int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, 100) : 25;
        var start = 0;
        if (q["after"].ToString() is { Length: > 0 } after)
        {
            if (!TryDecodeCursor(after, out var index))
                return Error(400, "(#100) Invalid cursor", MetaCodes.InvalidParameter);
            start = index + 1;
        }
        var slice = items.Skip(start).Take(limit).ToList();
        var data = slice.Select(item =>
        {
            var row = new Dictionary<string, object?>();
            foreach (var f in fields)
            {
                if (field(item, f) is { } value)
                    row[f] = value;
            }
            return row;
        }).ToList();
        object paging;
        if (slice.Count == 0)
        {
            paging = new { cursors = new { } };
        }
        else
        {
            var afterCursor = EncodeCursor(start + slice.Count - 1);
            var more = start + slice.Count < items.Count;
            var next = more
                ? QueryHelpers.AddQueryString($"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}{ctx.Request.Path}",
                    q.Where(kv => kv.Key != "after").Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString()))
                        .Append(new KeyValuePair<string, string?>("after", afterCursor)))
                : null;
            paging = new { cursors = new { before = EncodeCursor(start), after = afterCursor }, next };
        }
        return Wire.JsonResult(new { data, paging });
    }

    private static string EncodeCursor(int index) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("idx:" + index.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeCursor(string cursor, out int index)
    {
        index = -1;
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor));
            return text.StartsWith("idx:", StringComparison.Ordinal)
                   && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
