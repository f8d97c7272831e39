using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.Infrastructure.Persistence.Migrations
{
    /// <summary>Removes Quartz's job store from databases made by the first release.</summary>
    public partial class DropQuartzStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Quartz's tables (created by the QuartzStore migration of the first release) go: jobs now run on
            // Hangfire in its own file. Children before parents; IF EXISTS because new databases never had them.
            foreach (var table in QuartzTables)
                migrationBuilder.Sql($"DROP TABLE IF EXISTS {table};");
        }

        internal static readonly string[] QuartzTables =
        [
            "QRTZ_FIRED_TRIGGERS",
            "QRTZ_PAUSED_TRIGGER_GRPS",
            "QRTZ_PAUSED_JOB_GRPS",
            "QRTZ_SCHEDULER_STATE",
            "QRTZ_LOCKS",
            "QRTZ_SIMPLE_TRIGGERS",
            "QRTZ_SIMPROP_TRIGGERS",
            "QRTZ_CRON_TRIGGERS",
            "QRTZ_BLOB_TRIGGERS",
            "QRTZ_TRIGGERS",
            "QRTZ_JOB_DETAILS",
            "QRTZ_CALENDARS",
            "QRTZ_EXECUTION_HISTORY",
            "QRTZ_MISFIRE_HISTORY",
            "QRTZ_JOB_STATUS",
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
