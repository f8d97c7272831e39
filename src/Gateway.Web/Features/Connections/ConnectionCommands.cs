using System.Security.Claims;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Connections;
using Gateway.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Gateway.Web.Features.Connections;

/// <param name="Id">What the command created, when it created something (the connection of a connect).</param>
public sealed record CommandResult(bool Succeeded, string Message, DiscoveryCounts? Counts = null, int? Id = null)
{
    public static readonly CommandResult Forbidden = new(false, "Your role does not allow this change.");
}

/// <summary>
/// Every change the Connections page makes goes through here, and each one re-checks the policy on the server
/// (a Viewer's circuit could otherwise invoke a handler the UI merely hides).
/// </summary>
public sealed class ConnectionCommands(IAuthorizationService authorization, ConnectionService connections, DestinationSettings settings)
{
    private async Task<bool> AllowedAsync(ClaimsPrincipal user, string policy) => (await authorization.AuthorizeAsync(user, policy)).Succeeded;

    private static string By(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";

    public async Task<CommandResult> RediscoverAsync(ClaimsPrincipal user, int connectionId, CancellationToken ct = default)
    {
        if (!await AllowedAsync(user, Policies.Marketer)) return CommandResult.Forbidden;
        var outcome = await connections.RediscoverAsync(connectionId, ct);
        return outcome.Succeeded
            ? new(true, $"Found {outcome.Counts!.Pixels} pixels in {outcome.Counts.Accounts} accounts ({outcome.Counts.Added} new).", outcome.Counts)
            : new(false, outcome.Error!);
    }

    public async Task<CommandResult> DisconnectAsync(ClaimsPrincipal user, int connectionId, CancellationToken ct = default)
    {
        if (!await AllowedAsync(user, Policies.Marketer)) return CommandResult.Forbidden;
        return await connections.DisconnectAsync(connectionId, By(user), ct)
            ? new(true, "Disconnected. Its tokens are deleted and its pixels receive nothing; history is kept.")
            : new(false, "Connection not found.");
    }

    public async Task<CommandResult> ConnectWithTokenAsync(ClaimsPrincipal user, Platform platform, string token, string? name, string? advertiserIds, CancellationToken ct = default)
    {
        if (!await AllowedAsync(user, Policies.Admin)) return CommandResult.Forbidden;
        var ids = (advertiserIds ?? "").Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var outcome = await connections.ConnectWithTokenAsync(platform, token, name, ids, By(user), ct);
        return outcome.Succeeded
            ? new(true, $"Connected: {outcome.Counts!.Pixels} pixels found.", outcome.Counts, outcome.ConnectionId)
            : new(false, outcome.Error!);
    }

    public Task<CommandResult> SetEnabledAsync(ClaimsPrincipal user, int destinationId, bool enabled) =>
        RunAsync(user, () => settings.SetEnabledAsync(destinationId, enabled), enabled ? "Pixel enabled." : "Pixel disabled.",
            "Not saved: a pixel of a disconnected connection cannot be enabled.");

    public Task<CommandResult> SetSitesAsync(ClaimsPrincipal user, int destinationId, IReadOnlyCollection<int> siteIds) =>
        RunAsync(user, () => settings.SetSitesAsync(destinationId, siteIds), "Routing saved.");

    public Task<CommandResult> SetEventsAsync(ClaimsPrincipal user, int destinationId, IReadOnlyCollection<string>? events) =>
        RunAsync(user, () => settings.SetEventFilterAsync(destinationId, events), "Event filter saved.");

    public Task<CommandResult> SetTestEventCodeAsync(ClaimsPrincipal user, int destinationId, string? code) =>
        RunAsync(user, () => settings.SetTestEventCodeAsync(destinationId, code), "Test event code saved.", "Not saved: at most 100 characters.");

    public Task<CommandResult> SetTikTokEventSetsAsync(ClaimsPrincipal user, int destinationId, Gateway.Core.Platforms.TikTok.TikTokEventSets sets) =>
        RunAsync(user, () => settings.SetTikTokEventSetsAsync(destinationId, sets), "Event sets saved.", "Not saved: TikTok pixels only, each id at most 64 characters.");

    private async Task<CommandResult> RunAsync(ClaimsPrincipal user, Func<Task<bool>> change, string success, string failure = "Not saved.")
    {
        if (!await AllowedAsync(user, Policies.Marketer)) return CommandResult.Forbidden;
        return await change() ? new(true, success) : new(false, failure);
    }
}
