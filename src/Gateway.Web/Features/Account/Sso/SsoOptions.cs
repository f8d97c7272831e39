using System.ComponentModel.DataAnnotations;
using Gateway.Infrastructure.Identity;

namespace Gateway.Web.Features.Account.Sso;

/// <summary>
/// `Authentication:*`: local accounts (the embedded default) and optional single sign-on through any OpenID
/// Connect provider. SSO is on when <see cref="OidcOptions.Authority"/> is set (docs/configuration.md#single-sign-on-openid-connect).
/// </summary>
public sealed class AuthenticationOptions
{
    public const string Section = "Authentication";

    /// <summary>Password sign-in; may be turned off only while SSO is configured.</summary>
    public bool LocalAccounts { get; set; } = true;

    [Microsoft.Extensions.Options.ValidateObjectMembers] public OidcOptions Oidc { get; set; } = new();

    public bool SsoEnabled => !string.IsNullOrWhiteSpace(Oidc.Authority);

    /// <summary>Local accounts can be switched off only when there is another way in.</summary>
    public bool PasswordSignInAllowed => LocalAccounts || !SsoEnabled;
}

public sealed class OidcOptions : IValidatableObject
{
    public const string Scheme = "oidc";

    [Url] public string? Authority { get; set; }
    public string? ClientId { get; set; }
    /// <summary>From the environment only: Authentication__Oidc__ClientSecret.</summary>
    public string? ClientSecret { get; set; }
    [StringLength(60)] public string DisplayName { get; set; } = "SSO";
    public string Scopes { get; set; } = "profile email";
    /// <summary>The claim carrying the user's groups or roles.</summary>
    [Required] public string RoleClaim { get; set; } = "groups";
    /// <summary>Claim value → Admin | Marketer | Analyst.</summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.Ordinal);
    public bool RequireHttpsMetadata { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority)) yield break;
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return new ValidationResult("ClientId is required when Authority is set.", [nameof(ClientId)]);
        if (RoleMapping.Count == 0)
            yield return new ValidationResult("RoleMapping needs at least one claim value mapped to a role when Authority is set.", [nameof(RoleMapping)]);
        foreach (var (value, role) in RoleMapping)
            if (!Roles.All.Contains(role))
                yield return new ValidationResult($"RoleMapping:{value} is '{role}'; it must be one of {string.Join(", ", Roles.All)}.", [nameof(RoleMapping)]);
    }
}
