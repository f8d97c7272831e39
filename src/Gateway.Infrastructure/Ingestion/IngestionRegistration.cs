using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Infrastructure.Ingestion;

internal static class IngestionRegistration
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestionKeyAuthenticator>();
        builder.Services.AddSingleton<RoutingTable>();
        builder.Services.AddSingleton<OutboxWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxWriter>());
        builder.Services.AddSingleton<IngestionService>();
        return builder;
    }
}
