using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Simulator;

/// <summary>Test/demo control surface under {prefix}/_control: faults, logs, tokens, reset.</summary>
internal static class ControlApi
{
    private static readonly JsonSerializerOptions FaultJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A fault as JSON. kind: error | throttle | server_error | delay | hang | expire_tokens_after | reject_event_id.
    /// </summary>
    internal sealed record FaultRequest(
        string? Platform, string? Kind, string? Pixel, int? Times, long? Code, int? Subcode, string? Message,
        int? HttpStatus, int? RetryAfterSeconds, int? DelayMs, int? Count, string? EventId);

    public static void Map(IEndpointRouteBuilder group)
    {
        var control = group.MapGroup("/_control");
        control.MapGet("/state", (SimulatorState s) => Wire.JsonResult(new
        {
            tiktok = new { app_id = s.Options.TikTokAppId, advertisers = s.TikTokAdvertisers },
            meta = new { app_id = s.Options.MetaAppId, ad_accounts = s.MetaAdAccounts },
            tokens = s.Tokens.Select(t => new { platform = t.Platform.ToWire(), kind = t.Kind.ToString(), live = t.IsLive(s.Now), t.ExpiresAt }),
            faults = s.Faults.Pending.Select(Describe),
            requests = s.Requests.Count,
            accepted_events = s.AcceptedEvents.Count,
        }));
        control.MapGet("/received", (HttpContext ctx, SimulatorState s) =>
        {
            if (!TryPlatform(ctx, out var platform))
                return Results.BadRequest("platform must be tiktok or meta");
            var pixel = ctx.Request.Query["pixel"].ToString();
            return Wire.JsonResult(s.Received(platform, pixel.Length == 0 ? null : pixel).Select(e => new
            {
                sequence = e.Sequence,
                platform = e.Platform.ToWire(),
                pixel = e.Pixel,
                event_id = e.EventId,
                event_name = e.EventName,
                event_time = e.EventTime,
                test_event_code = e.TestEventCode,
                received_at = e.ReceivedAt,
                request_id = e.RequestId,
                payload = e.Payload,
            }));
        });
        control.MapGet("/requests", (HttpContext ctx, SimulatorState s) =>
        {
            if (!TryPlatform(ctx, out var platform))
                return Results.BadRequest("platform must be tiktok or meta");
            return Wire.JsonResult(s.Requests.Where(r => platform is null || r.Platform == platform).Select(r => new
            {
                sequence = r.Sequence,
                platform = r.Platform.ToWire(),
                pixel = r.Pixel,
                received_at = r.ReceivedAt,
                http_status = r.HttpStatus,
                platform_code = r.PlatformCode,
                accepted = r.Accepted,
                reason = r.Reason,
                event_count = r.EventCount,
                test_event_code = r.TestEventCode,
                request_id = r.RequestId,
            }));
        });
        control.MapDelete("/received", (SimulatorState s) =>
        {
            s.ClearLogs();
            return Results.NoContent();
        });
        control.MapGet("/faults", (SimulatorState s) => Wire.JsonResult(s.Faults.Pending.Select(Describe)));
        control.MapPost("/faults", AddFaults);
        control.MapDelete("/faults", (SimulatorState s) =>
        {
            s.Faults.Clear();
            return Results.NoContent();
        });
        control.MapPost("/tokens/expire-all", (HttpContext ctx, SimulatorState s) =>
            TryPlatform(ctx, out var p) ? Done(() => s.ExpireAllTokens(p)) : Results.BadRequest("platform must be tiktok or meta"));
        control.MapPost("/tokens/revoke-all", (HttpContext ctx, SimulatorState s) =>
            TryPlatform(ctx, out var p) ? Done(() => s.RevokeAllTokens(p)) : Results.BadRequest("platform must be tiktok or meta"));
        control.MapPost("/tokens/issue", (HttpContext ctx, SimulatorState s) =>
        {
            if (!TryPlatform(ctx, out var p) || p is null)
                return Results.BadRequest("platform must be tiktok or meta");
            var token = p == SimPlatform.TikTok ? s.IssueTikTokToken() : s.IssueMetaToken(s.Options.MetaLongLivedTokenLifetime, kind: TokenKind.LongLived);
            return Wire.JsonResult(new { access_token = token.Value, expires_at = token.ExpiresAt });
        });
        control.MapPost("/reset", (SimulatorState s) => Done(s.Reset));
    }

    private static IResult Done(Action action)
    {
        action();
        return Results.NoContent();
    }

    private static bool TryPlatform(HttpContext ctx, out SimPlatform? platform)
    {
        platform = null;
        var raw = ctx.Request.Query["platform"].ToString();
        if (raw.Length == 0)
            return true;
        if (!SimPlatformNames.TryParse(raw, out var p))
            return false;
        platform = p;
        return true;
    }

    private static object Describe(Fault f) => new
    {
        platform = f.Platform.ToWire(),
        kind = f.Kind.ToString(),
        pixel = f.Pixel,
        times = f.Times,
        code = f.Code,
        subcode = f.Subcode,
        http_status = f.HttpStatus,
        retry_after_seconds = f.RetryAfterSeconds,
        delay_ms = f.Kind == FaultKind.Delay ? (long?)f.Delay.TotalMilliseconds : null,
    };

    private static async Task<IResult> AddFaults(HttpContext ctx, SimulatorState state)
    {
        List<FaultRequest>? requests;
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            requests = doc.RootElement.ValueKind == JsonValueKind.Array
                ? doc.RootElement.Deserialize<List<FaultRequest>>(FaultJson)
                : [doc.RootElement.Deserialize<FaultRequest>(FaultJson)!];
        }
        catch (JsonException e)
        {
            return Results.BadRequest("Invalid fault JSON: " + e.Message);
        }
        // Validate all first so a bad entry adds nothing.
        var actions = new List<Action>();
        foreach (var r in requests ?? [])
        {
            if (!SimPlatformNames.TryParse(r.Platform, out var platform))
                return Results.BadRequest("platform must be tiktok or meta");
            var times = r.Times ?? 1;
            if (times < 1)
                return Results.BadRequest("times must be >= 1");
            Fault? fault = r.Kind switch
            {
                "error" when r.Code is not null => Fault.Error(platform, r.Code.Value, r.Message, r.Subcode, r.HttpStatus, times),
                "throttle" => Fault.Throttle(platform, r.RetryAfterSeconds ?? 1, times) with { Code = r.Code, Message = r.Message, HttpStatus = r.HttpStatus },
                "server_error" => Fault.ServerError(platform, r.HttpStatus ?? 503, times) with { Code = r.Code, Message = r.Message },
                "delay" when r.DelayMs is >= 0 => Fault.Slow(platform, TimeSpan.FromMilliseconds(r.DelayMs.Value), times),
                "hang" => Fault.Hang(platform, times),
                _ => null,
            };
            if (fault is not null)
            {
                var f = fault with { Pixel = r.Pixel };
                actions.Add(() => state.Faults.Add(f));
            }
            else if (r.Kind == "expire_tokens_after" && r.Count is >= 0)
            {
                actions.Add(() => state.Faults.ExpireTokensAfter(platform, r.Count.Value));
            }
            else if (r.Kind == "reject_event_id" && !string.IsNullOrEmpty(r.EventId))
            {
                actions.Add(() => state.Faults.RejectEventId(platform, r.EventId));
            }
            else
            {
                return Results.BadRequest(
                    "kind must be error (with code) | throttle | server_error | delay (with delayMs) | hang | expire_tokens_after (with count) | reject_event_id (with eventId)");
            }
        }
        actions.ForEach(a => a());
        return Results.NoContent();
    }
}
