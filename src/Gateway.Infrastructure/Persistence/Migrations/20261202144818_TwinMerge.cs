using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TwinMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MergedFields",
                table: "DedupPairs",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "DedupPairs",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                // Pairs from before twins merged: the first copy simply won.
                defaultValue: "NotMerged");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MergedFields",
                table: "DedupPairs");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "DedupPairs");
        }
    }
}
