using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Once created Quartz's job store tables in the gateway's database. Quartz is gone (Hangfire keeps its
    /// own file, docs/operations.md#jobs), so a new database skips this step; databases that ran it lose the
    /// tables in <see cref="DropQuartzStore"/>.
    /// </summary>
    public partial class QuartzStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
