using Gateway.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Gateway.Integration.Tests.ScaleOut;

/// <summary>
/// SQLite's and PostgreSQL's migrations are kept in step: each provider's migrations match the one model, and the
/// two schemas have the same tables, columns, keys and indexes. Adding a property with only one provider's
/// migration fails here (README, Contributing: add the migration for both).
/// </summary>
public sealed class ProviderParityTests
{
    private static GatewayDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<GatewayDbContext>().UseSqlite("Data Source=parity.db").Options);

    private static GatewayDbContext PostgreSql()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewayPostgreSql("Host=127.0.0.1;Database=parity");
        return new GatewayDbContext(options.Options);
    }

    [Fact]
    public void Each_provider_has_a_migration_for_every_model_change()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();
        Assert.False(sqlite.Database.HasPendingModelChanges(), "the model changed without a SQLite migration (dotnet ef migrations add … --project src/Gateway.Infrastructure)");
        Assert.False(postgres.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration (dotnet ef migrations add … --project src/Gateway.Migrations.PostgreSql)");
        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.NotEmpty(postgres.Database.GetMigrations());
    }

    [Fact]
    public void Both_schemas_have_the_same_tables_columns_keys_and_indexes()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();
        var a = Shape(sqlite);
        var b = Shape(postgres);
        Assert.Equal(a.Count, b.Count);
        Assert.Empty(a.Except(b));
        Assert.Empty(b.Except(a));
    }

    /// <summary>Each schema fact as one comparable line, from the model each provider's migrations build.</summary>
    private static HashSet<string> Shape(GatewayDbContext db)
    {
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var facts = new HashSet<string>();
        foreach (var table in model.Tables)
        {
            facts.Add($"table {table.Name}");
            foreach (var column in table.Columns)
            {
                // SQLite stores these as ticks by design (SqliteTicks); any other difference in type is a mistake.
                var type = SqliteTicks.Columns.Contains((table.Name, column.Name)) ? nameof(DateTime) : column.StoreTypeMapping.ClrType.Name;
                facts.Add($"column {table.Name}.{column.Name} {type} {(column.IsNullable ? "null" : "not null")} {column.MaxLength?.ToString() ?? "-"}");
            }
            if (table.PrimaryKey is { } pk) facts.Add($"pk {table.Name}({string.Join(',', pk.Columns.Select(c => c.Name))})");
            foreach (var index in table.Indexes)
                facts.Add($"index {table.Name}({string.Join(',', index.Columns.Select(c => c.Name))}) {(index.IsUnique ? "unique" : "")} {index.Filter}");
            foreach (var fk in table.ForeignKeyConstraints)
                facts.Add($"fk {table.Name}({string.Join(',', fk.Columns.Select(c => c.Name))}) -> {fk.PrincipalTable.Name} {fk.OnDeleteAction}");
        }
        return facts;
    }
}
