using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Hosting;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Absolute URL people and platforms reach this gateway at: OAuth redirect URIs, the first-run setup
    /// link and the browser snippet's install code are built from it.
    /// </summary>
    [Required, Url] public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The base URL without a trailing slash, ready for appending paths.</summary>
    public string PublicBase => PublicBaseUrl.TrimEnd('/');
}
