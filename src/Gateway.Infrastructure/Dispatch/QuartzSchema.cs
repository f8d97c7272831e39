using System.Text.RegularExpressions;

namespace Gateway.Infrastructure.Dispatch;

/// <summary>
/// Quartz's own SQLite schema, read from the script embedded in the Quartz assembly so the tables always
/// match the Quartz version in use (no hand-written DDL). Applied by the QuartzStore EF migration, so the
/// schema is created with every other table at start-up and the job store only has to validate it.
/// </summary>
public static partial class QuartzSchema
{
    public const string TablePrefix = "QRTZ_";
    private const string ResourceName = "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql";

    /// <summary>The script's statements ('--;;' separated), with the table prefix substituted.</summary>
    public static IReadOnlyList<string> CreateStatements()
    {
        using var stream = typeof(Quartz.IJob).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Quartz resource {ResourceName} not found; has the Quartz version changed?");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("{0}", TablePrefix, StringComparison.Ordinal)
            .Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split("\n--;;\n")
            .Where(s => s.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>DROP statements in reverse creation order, so tables referencing others go first.</summary>
    public static IReadOnlyList<string> DropStatements() =>
        CreateStatements()
            .Select(s => CreateTable().Match(s))
            .Where(m => m.Success)
            .Select(m => $"DROP TABLE IF EXISTS {m.Groups[1].Value};")
            .Reverse()
            .ToList();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();
}
