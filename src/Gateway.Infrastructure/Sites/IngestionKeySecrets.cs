namespace Gateway.Infrastructure.Sites;

/// <summary>A freshly made key: <see cref="Plaintext"/> is shown once and never stored.</summary>
public sealed record NewIngestionKey(string Plaintext, string Prefix, string SecretHash);

/// <summary>
/// Ingestion key format and hashing. Server keys are `gk_…`, browser keys `gb_…` (limited to the public
/// collect endpoint and the site's origins); made and hashed as every gateway secret is (<see cref="Identity.OpaqueSecrets"/>).
/// </summary>
public static class IngestionKeySecrets
{
    public const string ServerPrefix = "gk_";
    public const string BrowserPrefix = "gb_";

    public static NewIngestionKey Create(IngestionKeyKind kind)
    {
        var plaintext = Identity.OpaqueSecrets.Create(kind == IngestionKeyKind.Server ? ServerPrefix : BrowserPrefix);
        return new NewIngestionKey(plaintext, plaintext[..11], Hash(plaintext));
    }

    public static string Hash(string plaintext) => Identity.OpaqueSecrets.Hash(plaintext);
}
