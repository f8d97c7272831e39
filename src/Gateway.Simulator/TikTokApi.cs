using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Simulator;

/// <summary>The TikTok Business API surface: Events API 2.0, OAuth token exchange, pixel and advertiser discovery.</summary>
internal static class TikTokApi
{
    public static void Map(IEndpointRouteBuilder group)
    {
        var api = group.MapGroup("/tiktok/open_api/v1.3");
        api.MapPost("/event/track/", Track);
        api.MapPost("/oauth2/access_token/", ExchangeAuthCode);
        api.MapPost("/oauth2/refresh_token/", Refresh);
        api.MapGet("/pixel/list/", ListPixels);
        api.MapGet("/advertiser/info/", AdvertiserInfo);
    }

    private static IResult Envelope(SimulatorState state, long code, string message, object? data = null, string? requestId = null) =>
        Wire.JsonResult(new { code, message, request_id = requestId ?? Wire.NewTikTokRequestId(state.Now), data = data ?? new { } });

    // TikTok paths end in '/'; routing would also match without it, so enforce it here (docs/platforms.md).
    private static IResult? RequireTrailingSlash(HttpContext ctx) =>
        ctx.Request.Path.Value?.EndsWith('/') == true
            ? null
            : Results.Text("Not Found: TikTok Business API paths end with '/'", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> Track(HttpContext ctx, SimulatorState state)
    {
        if (RequireTrailingSlash(ctx) is { } notFound)
            return notFound;
        var requestId = Wire.NewTikTokRequestId(state.Now);
        var (body, doc) = await Wire.ReadJsonBodyAsync(ctx);
        using var _ = doc;
        var root = doc?.RootElement ?? default;
        var pixelCode = Wire.StringProp(root, "event_source_id");
        var testEventCode = Wire.StringProp(root, "test_event_code");
        var eventCount = Wire.Prop(root, "data") is { ValueKind: JsonValueKind.Array } d ? d.GetArrayLength() : 0;
        var pixelId = state.TikTokPixels.FirstOrDefault(p => p.PixelCode == pixelCode)?.PixelId;

        var faulted = await FaultRunner.ApplyAsync(ctx, state, SimPlatform.TikTok, [pixelCode, pixelId], f => f.Kind switch
        {
            FaultKind.Throttle => Envelope(state, TikTokCodes.RateLimited, f.Message ?? "Too many requests. Please retry in some time.", requestId: requestId),
            FaultKind.ServerError => Wire.JsonResult(new { code = f.Code ?? TikTokCodes.SystemError, message = f.Message ?? "System error", request_id = requestId, data = new { } },
                f.HttpStatus ?? 503),
            _ => f.HttpStatus is { } status and not 200
                ? Wire.JsonResult(new { code = f.Code ?? TikTokCodes.SystemError, message = f.Message ?? "Scripted error", request_id = requestId, data = new { } }, status)
                : Envelope(state, f.Code ?? TikTokCodes.InvalidParams, f.Message ?? "Scripted error", requestId: requestId),
        });
        if (faulted is not null)
            return faulted;

        IResult Reject(long code, string reason)
        {
            state.RecordRequest(SimPlatform.TikTok, pixelCode, 200, code, reason, eventCount, testEventCode, requestId, body);
            return Envelope(state, code, reason, requestId: requestId);
        }

        var token = ctx.Request.Headers["Access-Token"].ToString();
        if (token.Length == 0)
            return Reject(TikTokCodes.TokenEmpty, "Access token is null. Set the Access-Token header.");
        var issued = state.FindToken(token);
        if (issued is null || issued.Platform != SimPlatform.TikTok || issued.Kind == TokenKind.Refresh || issued.Revoked)
            return Reject(TikTokCodes.TokenInvalid, "Access token is incorrect or has been revoked.");
        if (issued.IsExpired(state.Now))
            return Reject(TikTokCodes.TokenExpired, "Access token has expired.");

        if (doc is null || root.ValueKind != JsonValueKind.Object)
            return Reject(TikTokCodes.InvalidParams, "Request body must be a JSON object.");
        var eventSource = Wire.StringProp(root, "event_source");
        if (eventSource is null || !TikTokEventValidator.EventSources.Contains(eventSource))
            return Reject(TikTokCodes.InvalidParams, $"event_source must be one of {string.Join(", ", TikTokEventValidator.EventSources)}, got {Wire.Describe(Wire.Prop(root, "event_source"))}");
        if (pixelCode is not { Length: > 0 })
            return Reject(TikTokCodes.InvalidParams, "event_source_id is required (the pixel code).");
        if (eventSource is "offline" or "crm")
        {
            // Offline and CRM events belong to an event set of their own source, never to a web pixel.
            var set = state.TikTokEventSets.FirstOrDefault(s => s.Id == pixelCode);
            if (set is null || set.Source != eventSource)
                return Reject(TikTokCodes.InvalidParams, state.TikTokPixels.Any(p => p.PixelCode == pixelCode)
                    ? $"event_source_id {pixelCode} is a pixel code; {eventSource} events need a {eventSource} event set id."
                    : $"event_source_id {pixelCode} is not a known {eventSource} event set.");
            if (!issued.Grants.Contains(set.AdvertiserId))
                return Reject(TikTokCodes.NoPermission, $"No permission to operate event set {set.Id} with this access token.");
            var (setValid, setFailure) = TikTokEventValidator.Validate(Wire.Prop(root, "data"), eventSource, state.Now, state);
            if (setFailure is not null)
                return Reject(setFailure.Code, setFailure.Message);
            state.RecordAccepted(SimPlatform.TikTok, set.Id, testEventCode, requestId, 200, setValid!.Events);
            return Envelope(state, TikTokCodes.Ok, "OK", requestId: requestId);
        }
        var pixel = state.TikTokPixels.FirstOrDefault(p => p.PixelCode == pixelCode);
        if (pixel is null)
        {
            var byId = state.TikTokPixels.Any(p => p.PixelId == pixelCode);
            return Reject(TikTokCodes.InvalidParams, byId
                ? $"event_source_id {pixelCode} is a numeric pixel_id; send the pixel_code instead."
                : $"event_source_id {pixelCode} is not a known pixel code.");
        }
        if (!issued.Grants.Contains(pixel.AdvertiserId))
            return Reject(TikTokCodes.NoPermission, $"No permission to operate pixel {pixel.PixelCode} with this access token.");
        if (Wire.Prop(root, "test_event_code") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.String) })
            return Reject(TikTokCodes.InvalidParams, "test_event_code must be a string.");

        var (valid, failure) = TikTokEventValidator.Validate(Wire.Prop(root, "data"), eventSource, state.Now, state);
        if (failure is not null)
            return Reject(failure.Code, failure.Message);

        state.RecordAccepted(SimPlatform.TikTok, pixel.PixelCode, testEventCode, requestId, 200, valid!.Events);
        return Envelope(state, TikTokCodes.Ok, "OK", requestId: requestId);
    }

    private static async Task<JsonElement?> ReadJsonObject(HttpContext ctx)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult? CheckApp(SimulatorState state, JsonElement body)
    {
        var appId = Wire.StringProp(body, "app_id");
        var secret = Wire.StringProp(body, "secret");
        if (appId is null || secret is null)
            return Envelope(state, TikTokCodes.InvalidParams, "app_id and secret are required.");
        return appId == state.Options.TikTokAppId && secret == state.Options.TikTokSecret
            ? null
            : Envelope(state, TikTokCodes.InvalidApp, "The combination of app_id and secret is invalid.");
    }

    private static async Task<IResult> ExchangeAuthCode(HttpContext ctx, SimulatorState state)
    {
        if (RequireTrailingSlash(ctx) is { } notFound)
            return notFound;
        if (await ReadJsonObject(ctx) is not { } body)
            return Envelope(state, TikTokCodes.InvalidParams, "Request body must be a JSON object.");
        if (CheckApp(state, body) is { } appError)
            return appError;
        var (code, error) = state.RedeemAuthCode(SimPlatform.TikTok, Wire.StringProp(body, "auth_code"));
        if (code is null)
            return Envelope(state, TikTokCodes.InvalidAuthCode, $"Auth code is invalid: {error}.");
        return Envelope(state, TikTokCodes.Ok, "OK", IssueTokens(state, code.Grants));
    }

    private static object IssueTokens(SimulatorState state, IReadOnlyList<string> advertiserIds)
    {
        var o = state.Options;
        if (!o.TikTokIssueRefreshTokens)
        {
            var token = state.IssueTikTokToken(advertiserIds);
            return new { access_token = token.Value, advertiser_ids = advertiserIds, scope = SimulatorState.TikTokScopeIds };
        }
        var access = state.IssueTikTokToken(advertiserIds, o.TikTokAccessTokenLifetime);
        var refresh = state.IssueTikTokToken(advertiserIds, o.TikTokRefreshTokenLifetime, TokenKind.Refresh);
        // Field names as used by TikTok clients seen in the code corpus; lifetimes are seconds from now.
        return new
        {
            access_token = access.Value,
            access_token_expire_in = (long)o.TikTokAccessTokenLifetime.TotalSeconds,
            refresh_token = refresh.Value,
            refresh_token_expire_in = (long)o.TikTokRefreshTokenLifetime.TotalSeconds,
            advertiser_ids = advertiserIds,
            scope = SimulatorState.TikTokScopeIds,
        };
    }

    private static async Task<IResult> Refresh(HttpContext ctx, SimulatorState state)
    {
        if (RequireTrailingSlash(ctx) is { } notFound)
            return notFound;
        if (await ReadJsonObject(ctx) is not { } body)
            return Envelope(state, TikTokCodes.InvalidParams, "Request body must be a JSON object.");
        if (CheckApp(state, body) is { } appError)
            return appError;
        if (!state.Options.TikTokIssueRefreshTokens)
            return Envelope(state, TikTokCodes.InvalidParams, "This app does not use refresh tokens.");
        var refresh = state.FindToken(Wire.StringProp(body, "refresh_token"));
        if (refresh is null || refresh.Kind != TokenKind.Refresh || refresh.Revoked)
            return Envelope(state, TikTokCodes.TokenInvalid, "Refresh token is invalid.");
        if (refresh.IsExpired(state.Now))
            return Envelope(state, TikTokCodes.TokenExpired, "Refresh token has expired.");
        state.RevokeToken(refresh.Value); // rotated: the old refresh token stops working
        return Envelope(state, TikTokCodes.Ok, "OK", IssueTokens(state, refresh.Grants));
    }

    /// <summary>Token check for discovery calls; returns the token or the error response.</summary>
    private static (SimToken? Token, IResult? Error) Authorize(HttpContext ctx, SimulatorState state)
    {
        var value = ctx.Request.Headers["Access-Token"].ToString();
        if (value.Length == 0)
            return (null, Envelope(state, TikTokCodes.TokenEmpty, "Access token is null. Set the Access-Token header."));
        var token = state.FindToken(value);
        if (token is null || token.Platform != SimPlatform.TikTok || token.Kind == TokenKind.Refresh || token.Revoked)
            return (null, Envelope(state, TikTokCodes.TokenInvalid, "Access token is incorrect or has been revoked."));
        return token.IsExpired(state.Now) ? (null, Envelope(state, TikTokCodes.TokenExpired, "Access token has expired.")) : (token, null);
    }

    private static IResult ListPixels(HttpContext ctx, SimulatorState state)
    {
        if (RequireTrailingSlash(ctx) is { } notFound)
            return notFound;
        var (token, error) = Authorize(ctx, state);
        if (error is not null)
            return error;
        var q = ctx.Request.Query;
        var advertiserId = q["advertiser_id"].ToString();
        if (advertiserId.Length == 0)
            return Envelope(state, TikTokCodes.InvalidParams, "advertiser_id is required.");
        var advertiser = state.TikTokAdvertisers.FirstOrDefault(a => a.AdvertiserId == advertiserId);
        if (advertiser is null || !token!.Grants.Contains(advertiserId))
            return Envelope(state, TikTokCodes.NoPermission, $"No permission to operate advertiser {advertiserId}.");
        if (!TryInt(q["page"], 1, out var page) || page < 1)
            return Envelope(state, TikTokCodes.InvalidParams, "page must be an integer >= 1.");
        if (!TryInt(q["page_size"], 10, out var pageSize) || pageSize is < 1 or > 20)
            return Envelope(state, TikTokCodes.InvalidParams, "page_size must be an integer between 1 and 20.");

        var total = advertiser.Pixels.Count;
        var pixels = advertiser.Pixels.Skip((page - 1) * pageSize).Take(pageSize).Select(p => new
        {
            pixel_id = p.PixelId,
            pixel_code = p.PixelCode,
            pixel_name = p.PixelName,
            advertiser_id = p.AdvertiserId,
            activity_status = LastFired(state, p.PixelCode) is null ? "INACTIVE" : "ACTIVE",
        });
        return Envelope(state, TikTokCodes.Ok, "OK", new
        {
            pixels,
            page_info = new { page, page_size = pageSize, total_number = total, total_page = (total + pageSize - 1) / pageSize },
        });
    }

    private static DateTimeOffset? LastFired(SimulatorState state, string pixelCode) =>
        state.Received(SimPlatform.TikTok, pixelCode).LastOrDefault()?.ReceivedAt;

    private static IResult AdvertiserInfo(HttpContext ctx, SimulatorState state)
    {
        if (RequireTrailingSlash(ctx) is { } notFound)
            return notFound;
        var (token, error) = Authorize(ctx, state);
        if (error is not null)
            return error;
        string[]? ids;
        try
        {
            ids = JsonSerializer.Deserialize<string[]>(ctx.Request.Query["advertiser_ids"].ToString());
        }
        catch (JsonException)
        {
            ids = null;
        }
        if (ids is not { Length: > 0 })
            return Envelope(state, TikTokCodes.InvalidParams, "advertiser_ids must be a JSON array of advertiser id strings, e.g. [\"123\"].");
        var denied = ids.FirstOrDefault(id => !token!.Grants.Contains(id) || state.TikTokAdvertisers.All(a => a.AdvertiserId != id));
        if (denied is not null)
            return Envelope(state, TikTokCodes.NoPermission, $"No permission to operate advertiser {denied}.");
        var list = ids.Select(id => state.TikTokAdvertisers.First(a => a.AdvertiserId == id)).Select(a => new
        {
            advertiser_id = a.AdvertiserId,
            name = a.Name,
            currency = a.Currency,
            status = "STATUS_ENABLE",
            timezone = "Etc/GMT",
        });
        return Envelope(state, TikTokCodes.Ok, "OK", new { list });
    }

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues raw, int fallback, out int value)
    {
        if (raw.Count == 0 || raw.ToString().Length == 0)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(raw.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
