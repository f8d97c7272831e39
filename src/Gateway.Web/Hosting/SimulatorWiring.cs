using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Platforms;
using Microsoft.Extensions.Options;
using Gateway.Simulator;

namespace Gateway.Web.Hosting;

/// <summary>
/// Demo mode: mounts the TikTok/Meta simulator under /sim and points the platform clients at it, so a
/// newcomer can click "Connect TikTok" and watch events deliver without a real ad account. On only when
/// `Simulator:Enabled` is true (appsettings.Development.json); never in production by default.
/// </summary>
internal static class SimulatorWiring
{
    public static bool IsSimulatorEnabled(this IConfiguration configuration) => configuration.GetValue("Simulator:Enabled", false);

    public static void AddSimulatorWhenEnabled(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.IsSimulatorEnabled()) return;
        builder.Services.AddPlatformSimulator();
        var simulator = new SimulatorOptions();
        builder.Services.AddOptions<PlatformOptions>().PostConfigure<IOptions<GatewayOptions>>((options, gateway) =>
        {
            var baseUrl = gateway.Value.PublicBase;
            options.TikTok.ApiBaseUrl = $"{baseUrl}/sim/tiktok";
            options.TikTok.AuthBaseUrl = $"{baseUrl}/sim/tiktok";
            options.Meta.GraphBaseUrl = $"{baseUrl}/sim/meta-graph";
            options.Meta.FacebookBaseUrl = $"{baseUrl}/sim/facebook";
            // The simulator's demo app credentials; real ones come from the environment.
            options.TikTok.AppId ??= simulator.TikTokAppId;
            options.TikTok.AppSecret ??= simulator.TikTokSecret;
            options.Meta.AppId ??= simulator.MetaAppId;
            options.Meta.AppSecret ??= simulator.MetaAppSecret;
        });
    }

    public static void MapSimulatorWhenEnabled(this WebApplication app)
    {
        if (app.Configuration.IsSimulatorEnabled()) app.MapPlatformSimulator();
    }
}
