using Gateway.Infrastructure.Identity;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Infrastructure.Management;

public sealed record NewPersonalAccessToken(int Id, string Plaintext, string Prefix, DateTime? ExpiresAt);

public sealed record PersonalAccessTokenItem(int Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>Creating, listing, revoking and checking personal access tokens (made and hashed by <see cref="OpaqueSecrets"/>).</summary>
public sealed class PersonalAccessTokens(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    public const string TokenPrefix = "gwp_";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<NewPersonalAccessToken> CreateAsync(string userId, string name, DateTime? expiresAt, CancellationToken ct = default)
    {
        var plaintext = OpaqueSecrets.Create(TokenPrefix);
        var token = new PersonalAccessToken
        {
            UserId = userId, Name = string.IsNullOrWhiteSpace(name) ? "API token" : name.Trim()[..Math.Min(name.Trim().Length, 100)],
            Prefix = plaintext[..12], SecretHash = OpaqueSecrets.Hash(plaintext), CreatedAt = time.GetUtcNow().UtcDateTime, ExpiresAt = expiresAt,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.PersonalAccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new NewPersonalAccessToken(token.Id, plaintext, token.Prefix, expiresAt);
    }

    public async Task<IReadOnlyList<PersonalAccessTokenItem>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PersonalAccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new PersonalAccessTokenItem(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt)).ToListAsync(ct);
    }

    /// <summary>Revokes one of the user's own tokens; the next request with it is refused.</summary>
    public async Task<bool> RevokeAsync(string userId, int id, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PersonalAccessTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct) > 0;
    }

    /// <summary>The owner of a live token (not revoked, not expired), recording when it was last used; null otherwise.</summary>
    public async Task<(string UserId, string Prefix)?> AuthenticateAsync(string plaintext, CancellationToken ct = default)
    {
        if (!plaintext.StartsWith(TokenPrefix, StringComparison.Ordinal) || plaintext.Length is < 20 or > 100) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var hash = OpaqueSecrets.Hash(plaintext);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.PersonalAccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Prefix == plaintext.Substring(0, 12) && t.SecretHash == hash, ct);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now) return null;
        if (token.LastUsedAt is null || now - token.LastUsedAt >= LastUsedResolution)
            await db.PersonalAccessTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        return (token.UserId, token.Prefix);
    }
}
