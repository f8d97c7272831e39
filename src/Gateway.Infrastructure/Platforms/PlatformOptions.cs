using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Platforms;

/// <summary>
/// Where the platforms live and the app credentials for "Connect". Production uses the real hosts; with
/// the simulator on (Development/Demo) the web host points these at its own /sim endpoints.
/// App secrets come from the environment (Platforms__TikTok__AppSecret), never from a committed file.
/// </summary>
public sealed class PlatformOptions
{
    public const string Section = "Platforms";

    [Required, ValidateObjectMembers] public TikTokPlatformOptions TikTok { get; set; } = new();
    [Required, ValidateObjectMembers] public MetaPlatformOptions Meta { get; set; } = new();
}

public sealed class TikTokPlatformOptions
{
    [Required, Url] public string ApiBaseUrl { get; set; } = "https://business-api.tiktok.com";
    [Required, Url] public string AuthBaseUrl { get; set; } = "https://business-api.tiktok.com";
    public string? AppId { get; set; }
    public string? AppSecret { get; set; }
    [Range(1, 120)] public int TimeoutSeconds { get; set; } = 10;
}

public sealed class MetaPlatformOptions
{
    [Required, Url] public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";
    [Required, Url] public string FacebookBaseUrl { get; set; } = "https://www.facebook.com";
    /// <summary>Marketing API version; known release/expiry dates live in <see cref="Gateway.Core.Platforms.Meta.MetaApiVersions"/>.</summary>
    [Required, RegularExpression(@"^v\d+\.0$")] public string GraphVersion { get; set; } = Gateway.Core.Platforms.Meta.MetaApiVersions.Default;
    public string? AppId { get; set; }
    public string? AppSecret { get; set; }
    /// <summary>Meta's troubleshooting guide suggests ~1.5 s; a little slack for batches of 1000.</summary>
    [Range(1, 120)] public int TimeoutSeconds { get; set; } = 10;
}
