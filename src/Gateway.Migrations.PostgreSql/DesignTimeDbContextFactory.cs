using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Gateway.Migrations.PostgreSql;

/// <summary>
/// Used only by `dotnet ef migrations add … --project src/Gateway.Migrations.PostgreSql` (README, Contributing).
/// No database is opened: adding a migration only needs the provider.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GatewayDbContext>
{
    public GatewayDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayPostgreSql("Host=localhost;Database=design");
        return new GatewayDbContext(options.Options);
    }
}
