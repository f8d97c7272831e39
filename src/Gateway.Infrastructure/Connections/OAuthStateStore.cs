using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Platforms;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Connections;

public enum OAuthStateFailure { None, Missing, Unknown, Replayed, Expired, OtherUser, WrongPlatform }

public sealed record OAuthStateCheck(OAuthStateFailure Failure)
{
    public bool Succeeded => Failure == OAuthStateFailure.None;

    public string Message => Failure switch
    {
        OAuthStateFailure.None => "OK",
        OAuthStateFailure.Missing => "The authorization response carried no state.",
        OAuthStateFailure.Unknown => "The authorization response did not come from a connect request made here.",
        OAuthStateFailure.Replayed => "This authorization response was already used. Start again with Connect.",
        OAuthStateFailure.Expired => "The authorization took longer than 10 minutes. Start again with Connect.",
        OAuthStateFailure.OtherUser => "This authorization was started by another user.",
        OAuthStateFailure.WrongPlatform => "This authorization was started for another platform.",
        _ => "Invalid authorization state.",
    };
}

/// <summary>
/// OAuth "state": 32 random bytes handed to the platform; only their SHA-256 is stored, bound to the user and
/// platform, valid 10 minutes and consumed on first use (a replayed or forged callback is refused).
/// </summary>
public sealed class OAuthStateStore(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<string> CreateAsync(string userId, Platform platform, CancellationToken ct = default)
    {
        var state = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Housekeeping: states older than a day are useless, even as replay evidence.
        await db.OAuthStates.Where(s => s.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(ct);
        db.OAuthStates.Add(new OAuthState { StateHash = Hash(state), UserId = userId, Platform = platform, CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(ct);
        return state;
    }

    public async Task<OAuthStateCheck> ConsumeAsync(string? state, string userId, Platform platform, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 200) return new(OAuthStateFailure.Missing);
        var hash = Hash(state);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.OAuthStates.AsNoTracking().SingleOrDefaultAsync(s => s.StateHash == hash, ct);
        if (row is null) return new(OAuthStateFailure.Unknown);
        // Burn it first, atomically: two racing callbacks with the same state cannot both pass.
        var claimed = await db.OAuthStates.Where(s => s.Id == row.Id && s.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct);
        if (claimed == 0) return new(OAuthStateFailure.Replayed);
        if (row.ExpiresAt <= now) return new(OAuthStateFailure.Expired);
        if (!string.Equals(row.UserId, userId, StringComparison.Ordinal)) return new(OAuthStateFailure.OtherUser);
        if (row.Platform != platform) return new(OAuthStateFailure.WrongPlatform);
        return new(OAuthStateFailure.None);
    }

    internal static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
