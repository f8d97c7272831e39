using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Simulator;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SimulatorOptions"/> and the singleton <see cref="SimulatorState"/>.</summary>
    public static IServiceCollection AddPlatformSimulator(this IServiceCollection services, Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp =>
        {
            var registered = sp.GetRequiredService<SimulatorOptions>();
            return new SimulatorState(registered, registered.TimeProvider ?? sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        return services;
    }
}

public static class SimulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the simulated platforms under <see cref="SimulatorOptions.PathPrefix"/>: {prefix}/tiktok (Business API and
    /// portal/auth), {prefix}/meta-graph (Graph API), {prefix}/facebook (Login dialog), {prefix}/_control.
    /// Anonymous on purpose: the fakes carry their own token checks, and the host's auth must not hide them.
    /// </summary>
    public static RouteGroupBuilder MapPlatformSimulator(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetService<SimulatorOptions>()
                      ?? throw new InvalidOperationException("Call services.AddPlatformSimulator() before MapPlatformSimulator().");
        var prefix = "/" + options.PathPrefix.Trim('/');
        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous().ExcludeFromDescription();
        TikTokApi.Map(group);
        MetaGraphApi.Map(group);
        ConsentPages.Map(group);
        ControlApi.Map(group);
        return group;
    }
}
