using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TrimIngestIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_SiteId_EventName_EventId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_Status_LeaseExpiresAt",
                table: "Deliveries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Events_SiteId_EventName_EventId",
                table: "Events",
                columns: new[] { "SiteId", "EventName", "EventId" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_Status_LeaseExpiresAt",
                table: "Deliveries",
                columns: new[] { "Status", "LeaseExpiresAt" });
        }
    }
}
