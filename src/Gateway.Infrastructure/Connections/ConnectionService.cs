using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Gateway.Infrastructure.Platforms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Infrastructure.Connections;

/// <summary>Result of a connect / re-discover: either a connection id and counts, or a message fit to show.</summary>
public sealed record ConnectOutcome(int? ConnectionId, string? Error, DiscoveryCounts? Counts = null)
{
    public bool Succeeded => Error is null;
    public static ConnectOutcome Fail(string error) => new(null, error);
}

/// <summary>
/// Completes "Connect" for both platforms, connect-with-token, re-discovery and disconnect. Plaintext tokens
/// exist only in memory here: a connection row is inserted without tokens to get its id (the protector's
/// purpose), then the ciphertext is written in the same transaction.
/// </summary>
public sealed class ConnectionService(
    IDbContextFactory<GatewayDbContext> dbFactory,
    ConnectionTokenProtector protector,
    PlatformAdapters adapters,
    PixelDiscovery discovery,
    TimeProvider time,
    ILogger<ConnectionService> logger)
{
    private string Label(Platform platform) => adapters.For(platform).Label;

    /// <summary>The callback leg of "Connect": code exchange, discovery, save.</summary>
    public Task<ConnectOutcome> CompleteAsync(Platform platform, string code, string redirectUri, string connectedBy, CancellationToken ct) =>
        GuardAsync(platform, async () =>
        {
            var adapter = adapters.For(platform);
            var grant = await adapter.ExchangeAsync(code, redirectUri, ct);
            var accounts = await discovery.DiscoverAsync(platform, grant.AccessToken, grant.AccountIds, ct);
            if (adapter.DiscoveryListsAccounts) grant = grant with { AccountIds = accounts.Select(a => a.AccountId).ToList() };
            return await SaveAsync(platform, ConnectionMethod.OAuth, grant, accounts, null, connectedBy, ct);
        });

    /// <summary>
    /// A Meta system-user token or a TikTok long-lived advertiser token pasted by an admin (the caller checks the
    /// Admin policy). It is accepted only if discovery works with it. TikTok tokens do not reveal their
    /// advertisers, so the admin lists the advertiser ids.
    /// </summary>
    public Task<ConnectOutcome> ConnectWithTokenAsync(Platform platform, string token, string? name, IReadOnlyList<string> advertiserIds, string connectedBy, CancellationToken ct) =>
        GuardAsync(platform, async () =>
        {
            token = token.Trim();
            if (token.Length is 0 or > 4000) return ConnectOutcome.Fail("Paste the token.");
            var (refusal, expiresAt) = await adapters.For(platform).InspectPastedTokenAsync(token, advertiserIds, ct);
            if (refusal is not null) return ConnectOutcome.Fail(refusal);
            var accounts = await discovery.DiscoverAsync(platform, token, advertiserIds, ct);
            var grant = new TokenGrant(token, expiresAt, null, null, accounts.Select(a => a.AccountId).ToList());
            return await SaveAsync(platform, ConnectionMethod.Token, grant, accounts, name, connectedBy, ct);
        });

    public async Task<ConnectOutcome> RediscoverAsync(int connectionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == connectionId, ct);
        if (connection is null) return ConnectOutcome.Fail("Connection not found.");
        if (connection.Status == ConnectionStatus.Disconnected || connection.ProtectedAccessToken is null)
            return ConnectOutcome.Fail("This connection is disconnected. Connect again to discover pixels.");
        var token = protector.Unprotect(connection.Id, connection.ProtectedAccessToken);
        return await GuardAsync(connection.Platform, async () =>
        {
            var accounts = await discovery.DiscoverAsync(connection.Platform, token, SplitIds(connection.AccountIds), ct);
            var counts = await PixelDiscovery.ApplyAsync(db, connection, accounts, time.GetUtcNow().UtcDateTime, ct);
            if (adapters.For(connection.Platform).DiscoveryListsAccounts) connection.AccountIds = JoinIds(accounts.Select(a => a.AccountId));
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Re-discovered connection {ConnectionId}: {Pixels} pixels, {Added} new", connection.Id, counts.Pixels, counts.Added);
            return new ConnectOutcome(connection.Id, null, counts);
        }, async ex =>
        {
            if (ex.IsAuthError) await MarkNeedsReconnectAsync(connection.Id, $"{Label(connection.Platform)} refused the token: {ex.PlatformMessage}", ct);
        });
    }

    /// <summary>Deletes the tokens, stops routing to its pixels, keeps destinations and delivery history.</summary>
    public async Task<bool> DisconnectAsync(int connectionId, string by, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == connectionId, ct);
        if (connection is null) return false;
        connection.ProtectedAccessToken = null;
        connection.ProtectedRefreshToken = null;
        connection.Status = ConnectionStatus.Disconnected;
        connection.StatusReason = Trim($"Disconnected by {by}", 500);
        connection.DisconnectedAt = time.GetUtcNow().UtcDateTime;
        await db.Destinations.Where(d => d.ConnectionId == connectionId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Enabled, false), ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Connection {ConnectionId} disconnected", connectionId);
        return true;
    }

    public async Task MarkNeedsReconnectAsync(int connectionId, string reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Connections.Where(c => c.Id == connectionId && c.Status == ConnectionStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect).SetProperty(c => c.StatusReason, Trim(reason, 500)), ct);
    }

    private async Task<ConnectOutcome> SaveAsync(Platform platform, ConnectionMethod method, TokenGrant grant, IReadOnlyList<DiscoveredAccount> accounts,
        string? name, string connectedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var accountIds = JoinIds(grant.AccountIds);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Connecting the same accounts again (the Reconnect button, or after a disconnect) revives the existing
        // connection, so its pixels keep their routing and history.
        var connection = await db.Connections.Where(c => c.Platform == platform && c.AccountIds == accountIds)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (connection is null)
        {
            connection = new Connection { Platform = platform, Name = DefaultName(platform, accounts), CreatedAt = now };
            db.Connections.Add(connection);
        }
        if (!string.IsNullOrWhiteSpace(name)) connection.Name = Trim(name.Trim(), 200);
        connection.Method = method;
        connection.Status = ConnectionStatus.Active;
        connection.StatusReason = null;
        connection.AccountIds = accountIds;
        connection.ConnectedBy = Trim(connectedBy, 256);
        connection.AccessTokenExpiresAt = grant.AccessTokenExpiresAt;
        connection.RefreshTokenExpiresAt = grant.RefreshTokenExpiresAt;
        connection.LastRefreshedAt = now;
        connection.DisconnectedAt = null;
        connection.ProtectedAccessToken = null;
        connection.ProtectedRefreshToken = null;
        await db.SaveChangesAsync(ct);

        connection.ProtectedAccessToken = protector.Protect(connection.Id, grant.AccessToken);
        connection.ProtectedRefreshToken = grant.RefreshToken is null ? null : protector.Protect(connection.Id, grant.RefreshToken);
        var counts = await PixelDiscovery.ApplyAsync(db, connection, accounts, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("{Platform} connection {ConnectionId} saved ({Method}): {Accounts} accounts, {Pixels} pixels, {Added} new",
            platform, connection.Id, method, counts.Accounts, counts.Pixels, counts.Added);
        return new ConnectOutcome(connection.Id, null, counts);
    }

    private async Task<ConnectOutcome> GuardAsync(Platform platform, Func<Task<ConnectOutcome>> work, Func<PlatformCallException, Task>? onPlatformError = null)
    {
        try
        {
            return await work();
        }
        catch (PlatformCallException ex)
        {
            logger.LogWarning("{Platform} refused a connect call: {Code} {Message}", platform, ex.Code, ex.PlatformMessage);
            if (onPlatformError is not null) await onPlatformError(ex);
            return ConnectOutcome.Fail($"{Label(platform)} refused: {ex.PlatformMessage} (code {ex.Code})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Exception messages can carry the request URL (and Meta puts tokens in query strings): log the type only.
            logger.LogWarning("{Platform} could not be reached: {Error}", platform, ex.GetType().Name);
            return ConnectOutcome.Fail($"Could not reach {Label(platform)}. Try again in a minute.");
        }
    }

    private string DefaultName(Platform platform, IReadOnlyList<DiscoveredAccount> accounts)
    {
        var names = string.Join(", ", accounts.Select(a => a.AccountName ?? a.AccountId));
        return Trim($"{Label(platform)} – {(names.Length == 0 ? "no accounts" : names)}", 200);
    }

    internal static string JoinIds(IEnumerable<string> ids) => Trim(string.Join(',', ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)), 2000);

    public static IReadOnlyList<string> SplitIds(string? ids) =>
        string.IsNullOrWhiteSpace(ids) ? [] : ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max];
}
