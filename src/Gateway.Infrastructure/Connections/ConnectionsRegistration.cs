using Gateway.Infrastructure.Hosting;
using System.ComponentModel.DataAnnotations;
using Gateway.Infrastructure.Platforms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Connections;

public sealed class ConnectionsOptions
{
    public const string Section = "Connections";

    /// <summary>How often the token refresh job looks for tokens close to expiry.</summary>
    [Range(1, 1440)] public int TokenRefreshIntervalMinutes { get; set; } = 60;
}

internal static class ConnectionsRegistration
{
    public static IHostApplicationBuilder AddConnections(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ConnectionsOptions>(ConnectionsOptions.Section);

        // RemoveAllLoggers: the default HttpClient logging writes request URLs, and Graph URLs carry tokens
        // and the app secret (debug_token). These clients log their own token-free lines instead.
        services.AddHttpClient<TikTokBusinessClient>((sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.TikTok.TimeoutSeconds))
            .RemoveAllLoggers();
        services.AddHttpClient<MetaGraphClient>((sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Meta.TimeoutSeconds))
            .RemoveAllLoggers();

        services.AddSingleton<OAuthStateStore>();
        services.AddTransient<PixelDiscovery>();
        services.AddTransient<ConnectionService>();
        services.AddTransient<DestinationSettings>();
        services.AddTransient<TokenRefresher>();

        return builder;
    }
}
