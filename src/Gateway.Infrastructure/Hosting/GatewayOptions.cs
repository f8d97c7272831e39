using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Hosting;

public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>
    /// Absolute URL people and platforms reach this gateway at: OAuth redirect URIs, the first-run setup
    /// link and the browser snippet's install code are built from it.
    /// </summary>
    [Required, Url] public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The base URL without a trailing slash, ready for appending paths.</summary>
    public string PublicBase => PublicBaseUrl.TrimEnd('/');

    /// <summary>
    /// Reverse proxies (IP addresses, or networks as CIDR like 10.0.0.0/8) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Empty by default: then the connection's own address is the visitor's,
    /// and a forged header changes nothing (docs/operations.md#behind-a-reverse-proxy).
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var entry in TrustedProxies)
            if (!(entry.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(entry, out _) : System.Net.IPAddress.TryParse(entry, out _)))
                yield return new ValidationResult($"'{entry}' is neither an IP address nor a CIDR network.", [nameof(TrustedProxies)]);
    }
}
