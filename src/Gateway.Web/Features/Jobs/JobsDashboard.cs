using Gateway.Infrastructure.Identity;
using Hangfire;
using Hangfire.Dashboard;

namespace Gateway.Web.Features.Jobs;

/// <summary>
/// Hangfire's dashboard at /jobs for Admins: every recurring job with its schedule, runs, retries and the
/// servers (one per node). Authorization is the product's Admin policy on the endpoint; Hangfire's own
/// local-requests-only filter is replaced by it (docs/operations.md#jobs).
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/jobs";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, Path, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            AppPath = "/",
            DashboardTitle = "Conversions Gateway · Jobs",
            DisplayStorageConnectionString = false,
            DarkModeEnabled = true,
        });
        return endpoints;
    }
}
