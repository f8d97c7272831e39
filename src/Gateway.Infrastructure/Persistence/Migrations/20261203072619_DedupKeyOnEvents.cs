using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DedupKeyOnEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Dedup memory moves from its own table onto the event row (bench "write path", #16). Each key's
            // current entry marks its event as the holder and brings its duplicate count; events whose entry had
            // already been purged (older than the window) hold nothing, as before.
            migrationBuilder.AddColumn<bool>(
                name: "DedupHeld",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateCount",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""
                UPDATE "Events" SET "DedupHeld" = 1, "DuplicateCount" = d."DuplicateCount"
                FROM "DedupEntries" AS d WHERE d."EventRowId" = "Events"."Id";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Events_DedupKey",
                table: "Events",
                columns: new[] { "SiteId", "EventName", "EventId", "DedupHeld" },
                unique: true);

            migrationBuilder.DropTable(
                name: "DedupEntries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DedupEntries",
                columns: table => new
                {
                    SiteId = table.Column<int>(type: "INTEGER", nullable: false),
                    EventName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DuplicateCount = table.Column<int>(type: "INTEGER", nullable: false),
                    EventRowId = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstSource = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DedupEntries", x => new { x.SiteId, x.EventName, x.EventId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_DedupEntries_FirstSeenAt",
                table: "DedupEntries",
                column: "FirstSeenAt");

            migrationBuilder.Sql("""
                INSERT INTO "DedupEntries" ("SiteId", "EventName", "EventId", "DuplicateCount", "EventRowId", "FirstSeenAt", "FirstSource")
                SELECT "SiteId", "EventName", "EventId", "DuplicateCount", "Id", "ReceivedAt", "Source" FROM "Events" WHERE "DedupHeld" = 1;
                """);

            migrationBuilder.DropIndex(
                name: "IX_Events_DedupKey",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "DedupHeld",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "DuplicateCount",
                table: "Events");
        }
    }
}
