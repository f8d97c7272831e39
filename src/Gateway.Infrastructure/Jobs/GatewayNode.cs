using System.Security.Cryptography;
using System.Text;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Who this process is among the nodes sharing a database: it owns the leases it takes (`{Name}/{pass}`) and
/// names its Hangfire server. The name survives a restart so the node can reclaim its own leases at once.
/// </summary>
public sealed class GatewayNode(IOptions<DispatchOptions> dispatch, IOptions<DatabaseOptions> database)
{
    public string Name { get; } = dispatch.Value.NodeName is { Length: > 0 } configured
        ? configured
        : $"{Environment.MachineName}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(database.Value.Path))))[..8]}";

    /// <summary>A lease owner for one dispatch pass: the node, then a unique pass id.</summary>
    public string NewLeaseOwner() => $"{Name}/{Guid.NewGuid():N}";

    /// <summary>Every lease owner this node ever wrote starts with this.</summary>
    public string LeaseOwnerPrefix => Name + "/";
}
