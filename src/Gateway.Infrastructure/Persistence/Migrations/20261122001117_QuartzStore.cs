using Gateway.Infrastructure.Dispatch;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Quartz's persistent job store tables in the gateway's own SQLite file, from the script embedded in the
    /// Quartz assembly (see <see cref="QuartzSchema"/>). No EF model change: Quartz owns these tables.
    /// </summary>
    public partial class QuartzStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in QuartzSchema.CreateStatements())
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in QuartzSchema.DropStatements())
                migrationBuilder.Sql(statement);
        }
    }
}
