using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TikTokEventSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TikTokAppId",
                table: "Destinations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TikTokCrmEventSetId",
                table: "Destinations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TikTokOfflineEventSetId",
                table: "Destinations",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TikTokAppId",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "TikTokCrmEventSetId",
                table: "Destinations");

            migrationBuilder.DropColumn(
                name: "TikTokOfflineEventSetId",
                table: "Destinations");
        }
    }
}
