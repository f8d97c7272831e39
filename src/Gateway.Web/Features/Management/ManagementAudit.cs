using System.Security.Claims;
using Gateway.Infrastructure.Management;
using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Features.Management;

public sealed record AuditItem(long Id, DateTime At, string Actor, string Via, string Action, string? Target, int Status);

/// <summary>Writes and reads the audit log: every management API call (who, what, when, how it ended), shown to Admins.</summary>
public sealed class ManagementAudit(IDbContextFactory<GatewayDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Audits the request being answered: its user, method and route pattern, concrete path, and <paramref name="status"/>.</summary>
    public async Task RecordAsync(HttpContext http, int status)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var user = http.User;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = Trim(user.Identity?.Name ?? "anonymous", 256),
            Via = user.FindFirstValue(PersonalAccessTokenAuthentication.TokenPrefixClaim) is { } prefix ? $"token {prefix}" : "dashboard",
            Action = Trim($"{http.Request.Method} {route}", 200), Target = Trim(http.Request.Path + http.Request.QueryString, 500), Status = status,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public async Task<(IReadOnlyList<AuditItem> Rows, int Count)> PageAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id).Skip(skip).Take(take)
            .Select(e => new AuditItem(e.Id, e.At, e.Actor, e.Via, e.Action, e.Target, e.Status)).ToListAsync(ct);
        return (rows, await db.AuditEntries.CountAsync(ct));
    }

    private static string Trim(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>An endpoint filter that audits every call of the group it is on, whatever the outcome.</summary>
    internal sealed class Filter(ManagementAudit audit) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var status = StatusCodes.Status500InternalServerError; // a call that throws is audited as the 500 it becomes
            try
            {
                var result = await next(context);
                status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : context.HttpContext.Response.StatusCode;
                return result;
            }
            finally
            {
                await audit.RecordAsync(context.HttpContext, status);
            }
        }
    }
}
