using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The hot tables' timestamps become INTEGER ticks on SQLite (docs/operations.md#timestamps). EF Core runs the
    /// statements below first and rebuilds the tables last (SQLite changes a column's type by copying the table):
    /// the UPDATE writes each timestamp's ticks as digits into the old TEXT column, and the copy into the new
    /// INTEGER column stores them as integers (column affinity). Down goes the same way back.
    /// </summary>
    public partial class SqliteTimestampTicks : Migration
    {
        private static readonly (string Table, string Column)[] Columns =
        [
            ("Events", "EventTime"), ("Events", "ReceivedAt"),
            ("Deliveries", "EventTime"), ("Deliveries", "CreatedAt"), ("Deliveries", "NextAttemptAt"), ("Deliveries", "LeaseExpiresAt"), ("Deliveries", "CompletedAt"),
        ];

        /// <summary>
        /// EF Core's text ("yyyy-MM-dd HH:mm:ss.FFFFFFF", the fraction optional) as ticks: whole seconds since
        /// 0001-01-01 via strftime, then the fraction's digits padded to seven.
        /// </summary>
        private static string TicksFromText(string column) =>
            $"""(CAST(strftime('%s', substr("{column}", 1, 19)) AS INTEGER) + 62135596800) * 10000000 + CAST(substr(substr("{column}", 21) || '0000000', 1, 7) AS INTEGER)""";

        /// <summary>Ticks back to EF Core's text, all seven fraction digits written.</summary>
        private static string TextFromTicks(string column) =>
            $"""strftime('%Y-%m-%d %H:%M:%S', CAST("{column}" AS INTEGER) / 10000000 - 62135596800, 'unixepoch') || '.' || printf('%07d', CAST("{column}" AS INTEGER) % 10000000)""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "ReceivedAt",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTime),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "EventTime",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTime),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "NextAttemptAt",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTime),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "LeaseExpiresAt",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTime),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "EventTime",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTime),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "CreatedAt",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(DateTime),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<long>(
                name: "CompletedAt",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTime),
                oldType: "TEXT",
                oldNullable: true);

            foreach (var (table, column) in Columns)
                migrationBuilder.Sql($"""UPDATE "{table}" SET "{column}" = {TicksFromText(column)} WHERE typeof("{column}") = 'text'""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<DateTime>(
                name: "ReceivedAt",
                table: "Events",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTime>(
                name: "EventTime",
                table: "Events",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTime>(
                name: "NextAttemptAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTime>(
                name: "LeaseExpiresAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<DateTime>(
                name: "EventTime",
                table: "Deliveries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTime>(
                name: "CreatedAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<DateTime>(
                name: "CompletedAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            foreach (var (table, column) in Columns)
                migrationBuilder.Sql($"""UPDATE "{table}" SET "{column}" = {TextFromTicks(column)} WHERE "{column}" NOT GLOB '*-*'""");
        }
    }
}
