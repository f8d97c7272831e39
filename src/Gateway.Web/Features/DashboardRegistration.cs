using Gateway.Web.Features.Consent;
using Gateway.Web.Features.Dedup;
using Gateway.Web.Features.Deliveries;
using Gateway.Web.Features.DemoData;
using Gateway.Web.Features.Mappings;
using Gateway.Web.Features.MatchQuality;
using Gateway.Web.Features.Overview;
using Gateway.Web.Features.Settings;

namespace Gateway.Web.Features;

public static class DashboardRegistration
{
    /// <summary>The dashboard pages' query services. Each opens its own short-lived context from the factory.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<OverviewQueries>();
        services.AddScoped<DeliveryQueries>();
        services.AddScoped<DedupQueries>();
        services.AddScoped<ConsentQueries>();
        services.AddScoped<MatchQualityQueries>();
        services.AddScoped<MappingAdministration>();
        services.AddScoped<SiteAdministration>();
        services.AddScoped<DeadLetterRedrive>();
        services.AddScoped<DemoDataGenerator>();
        services.AddScoped<Management.ManagementAudit>();
        services.AddScoped<Alerts.AlertAdministration>();
        services.AddScoped<Management.ManagementAudit.Filter>();
        services.AddScoped<DemoDataAction>();
        return builder;
    }
}
