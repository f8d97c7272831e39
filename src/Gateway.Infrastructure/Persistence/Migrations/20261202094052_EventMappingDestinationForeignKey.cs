using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EventMappingDestinationForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Overrides left behind by a pixel that no longer exists were read as platform-wide rules by
            // routing; they carry no meaning any more, and the new foreign key would reject them.
            migrationBuilder.Sql("DELETE FROM EventMappings WHERE DestinationId IS NOT NULL AND DestinationId NOT IN (SELECT Id FROM Destinations);");

            migrationBuilder.CreateIndex(
                name: "IX_EventMappings_DestinationId",
                table: "EventMappings",
                column: "DestinationId");

            migrationBuilder.AddForeignKey(
                name: "FK_EventMappings_Destinations_DestinationId",
                table: "EventMappings",
                column: "DestinationId",
                principalTable: "Destinations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_EventMappings_Destinations_DestinationId",
                table: "EventMappings");

            migrationBuilder.DropIndex(
                name: "IX_EventMappings_DestinationId",
                table: "EventMappings");
        }
    }
}
