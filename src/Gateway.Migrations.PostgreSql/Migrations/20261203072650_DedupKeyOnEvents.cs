using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class DedupKeyOnEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Dedup memory moves from its own table onto the event row (as in the SQLite migration of the same name).
            migrationBuilder.AddColumn<bool>(
                name: "DedupHeld",
                table: "Events",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateCount",
                table: "Events",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""
                UPDATE "Events" AS e SET "DedupHeld" = TRUE, "DuplicateCount" = d."DuplicateCount"
                FROM "DedupEntries" AS d WHERE d."EventRowId" = e."Id";
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
                    SiteId = table.Column<int>(type: "integer", nullable: false),
                    EventName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EventId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DuplicateCount = table.Column<int>(type: "integer", nullable: false),
                    EventRowId = table.Column<long>(type: "bigint", nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstSource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
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
                SELECT "SiteId", "EventName", "EventId", "DuplicateCount", "Id", "ReceivedAt", "Source" FROM "Events" WHERE "DedupHeld";
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
