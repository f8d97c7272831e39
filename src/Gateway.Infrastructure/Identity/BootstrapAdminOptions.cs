namespace Gateway.Infrastructure.Identity;

/// <summary>
/// The first administrator, created at start-up when no user exists. Supply through environment or a
/// secret store (Bootstrap__AdminEmail, Bootstrap__AdminPassword); there is no default password. When
/// unset, start-up prints a one-time setup link instead.
/// </summary>
public sealed class BootstrapAdminOptions
{
    public const string Section = "Bootstrap";
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
