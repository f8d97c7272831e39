using System.Security.Cryptography;
using System.Text;
using Gateway.Infrastructure.Dispatch;
using Gateway.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Infrastructure.Jobs;

/// <summary>
/// Who this process is among the nodes sharing a database: it owns the leases it takes (`{Name}/{pass}`) and
/// names its Hangfire server. The name survives a restart so the node can reclaim its own leases at once, and
/// differs between nodes: two nodes with one name would reclaim each other's work (docs/operations.md#several-nodes).
/// </summary>
public sealed class GatewayNode(IOptions<DispatchOptions> dispatch, IOptions<DatabaseOptions> database, IConfiguration configuration, IHostEnvironment environment)
{
    public string Name { get; } = dispatch.Value.NodeName is { Length: > 0 } configured
        ? configured
        : DefaultName(Identity(database.Value, configuration, environment));

    /// <summary>The name of a node that configures none: its machine, then a short hash of what tells it apart there.</summary>
    public static string DefaultName(string identity) => $"{Environment.MachineName}-{Hash(identity)}";

    /// <summary>
    /// What tells this process apart on its machine: the SQLite file it owns, or, sharing PostgreSQL, its folder
    /// and the addresses it listens on (containers differ by machine name already).
    /// </summary>
    private static string Identity(DatabaseOptions database, IConfiguration configuration, IHostEnvironment environment) =>
        database.Provider == DatabaseProvider.PostgreSql
            ? $"{environment.ContentRootPath}|{configuration["urls"]}|{configuration["http_ports"]}"
            : Path.GetFullPath(database.Path);

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];

    /// <summary>A lease owner for one dispatch pass: the node, then a unique pass id.</summary>
    public string NewLeaseOwner() => LeaseOwner(Name);

    /// <summary>
    /// The lease owner a node named <paramref name="node"/> writes for one pass. The pass id is 48 random bits: it
    /// only has to differ between the passes whose claims are alive at once, and every claimed row carries it, so
    /// it is kept short (the minimal dispatch loop ran 2–6% slower with a 54-character owner than with 5 characters,
    /// docs/operations.md#the-dispatcher-on-sqlite).
    /// </summary>
    public static string LeaseOwner(string node) => $"{node}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>Every lease owner this node ever wrote starts with this.</summary>
    public string LeaseOwnerPrefix => Name + "/";
}
