using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Simulator;

/// <summary>Applies the next matching scripted fault to an events request.</summary>
internal static class FaultRunner
{
    /// <summary>
    /// Returns the response to send instead of the normal one, or null to carry on (no fault, or a delay that has passed).
    /// <paramref name="render"/> builds the platform-specific answer for error/throttle/5xx faults.
    /// </summary>
    public static async Task<IResult?> ApplyAsync(HttpContext ctx, SimulatorState state, SimPlatform platform, string?[] pixelKeys,
        Func<Fault, IResult> render)
    {
        var fault = state.Faults.TryTake(platform, pixelKeys);
        if (fault is null)
            return null;

        var stopping = ctx.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        var pixel = pixelKeys.FirstOrDefault(k => k is not null);
        switch (fault.Kind)
        {
            case FaultKind.Delay:
                try
                {
                    await Task.Delay(fault.Delay, state.Time, cts.Token);
                }
                catch (OperationCanceledException)
                {
                    state.RecordRequest(platform, pixel, 499, null, "fault: delay interrupted (client gave up)", 0, null, null, null);
                    return Results.Empty;
                }
                return null;

            case FaultKind.Hang:
                try
                {
                    await Task.Delay(state.Options.MaxHang, state.Time, cts.Token);
                }
                catch (OperationCanceledException)
                {
                    state.RecordRequest(platform, pixel, 499, null, "fault: hang (client gave up)", 0, null, null, null);
                    return Results.Empty;
                }
                state.RecordRequest(platform, pixel, 504, null, "fault: hang reached MaxHang", 0, null, null, null);
                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);

            default:
                var result = render(fault);
                var code = fault.Code ?? fault.Kind switch
                {
                    FaultKind.Throttle => platform == SimPlatform.TikTok ? TikTokCodes.RateLimited : MetaCodes.AppRateLimit,
                    _ => (long?)null,
                };
                state.RecordRequest(platform, pixel, HttpStatusOf(result), code, $"fault: {fault.Kind}", 0, null, null, null);
                return result;
        }
    }

    private static int HttpStatusOf(IResult result) => result is IStatusCodeHttpResult { StatusCode: { } s } ? s : 200;
}
