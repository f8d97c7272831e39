using Microsoft.AspNetCore.Identity;

namespace Gateway.Infrastructure.Identity;

public sealed class ApplicationUser : IdentityUser
{
    public DateTime CreatedAt { get; set; }
    /// <summary>The dashboard theme this user chose; null follows the browser's preference.</summary>
    public bool? PrefersDarkMode { get; set; }
}

/// <summary>The three roles. Enforced by authorization policies on the server, not only hidden in the UI.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Marketer = "Marketer";
    public const string Analyst = "Analyst";
    public static readonly string[] All = [Admin, Marketer, Analyst];
}

public static class Policies
{
    /// <summary>Any signed-in user with a role: read-only dashboards.</summary>
    public const string Viewer = "Viewer";
    /// <summary>Admins and Marketers: connections, routing, re-drive.</summary>
    public const string Marketer = "MarketerOrAdmin";
    /// <summary>Admins only: mappings, keys, users, settings.</summary>
    public const string Admin = "AdminOnly";
}
