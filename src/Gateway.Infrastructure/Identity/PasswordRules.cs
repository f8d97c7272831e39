using Microsoft.AspNetCore.Identity;

namespace Gateway.Infrastructure.Identity;

/// <summary>
/// The password policy, stated once: Identity enforces these options and every form that sets a password
/// (setup, change password, new user) shows <see cref="Description"/> before anyone types.
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    public const string Description = "At least 12 characters, with an upper-case letter, a lower-case letter and a digit.";

    public static void Apply(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequireUppercase = true;
        options.RequireLowercase = true;
        options.RequireDigit = true;
        options.RequireNonAlphanumeric = false;
        options.RequiredUniqueChars = 1;
    }
}
