namespace Gateway.Infrastructure.Management;

/// <summary>
/// A user's token for the management API (/api/v1/manage): only its SHA-256 hash is stored, the plaintext is
/// shown once at creation. It acts with its owner's current role, so a demoted or deleted user's token loses
/// what the user lost (docs/operations.md#management-api).
/// </summary>
public sealed class PersonalAccessToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the token (`gwp_` + 8), shown in lists and the audit log to tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>One management call or dashboard change: who, what, when, and how it ended.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The user's email (or user name) at the time.</summary>
    public required string Actor { get; set; }
    /// <summary>How they acted: `token gwp_abcd1234` or `dashboard`.</summary>
    public required string Via { get; set; }
    /// <summary>Method and route, e.g. `POST /api/v1/manage/sites`.</summary>
    public required string Action { get; set; }
    /// <summary>The concrete path with ids and query, e.g. `/api/v1/manage/destinations/4`.</summary>
    public string? Target { get; set; }
    public int Status { get; set; }
}
