using Gateway.Infrastructure.Hosting;
using Gateway.Infrastructure.Platforms;
using Gateway.Infrastructure.Platforms.Meta;
using Gateway.Infrastructure.Platforms.TikTok;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Dispatch;

internal static class DispatchRegistration
{
    public static IHostApplicationBuilder AddDispatch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DispatchOptions>(DispatchOptions.Section);

        services.AddHttpClient<TikTokEventsClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.TikTok;
            http.BaseAddress = new Uri(o.ApiBaseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        });
        services.AddHttpClient<MetaEventsClient>((sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<PlatformOptions>>().Value.Meta;
            http.BaseAddress = new Uri(o.GraphBaseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        });

        // One adapter per platform, chosen once through PlatformAdapters (an unknown platform throws).
        services.AddTransient<IPlatformAdapter, TikTokAdapter>();
        services.AddTransient<IPlatformAdapter, MetaAdapter>();
        services.AddTransient<PlatformAdapters>();

        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<ConnectionRateLimiters>();
        services.AddSingleton<DispatchWriter>();
        services.AddSingleton<DeliveryLeases>();
        services.AddSingleton<DeliveryRedrive>();
        services.AddTransient<DestinationDispatcher>();

        return builder;
    }
}
