namespace Gateway.Infrastructure.Settings;

/// <summary>Settings admins change at run time (single row, Id = 1). Start-up values come from configuration.</summary>
public sealed class SystemSettings
{
    public int Id { get; set; } = 1;
    public int RetentionDays { get; set; } = 30;
    public bool BotFilterEnabled { get; set; } = true;
    /// <summary>Extra user-agent substrings treated as bots, one per line.</summary>
    public string? ExtraBotPatterns { get; set; }
    /// <summary>Alert when more deliveries than this to one pixel are dead-lettered within an hour.</summary>
    public int AlertDeadLettersPerHour { get; set; } = 10;
    /// <summary>Alert when the oldest queued delivery has waited longer than this.</summary>
    public int AlertQueueAgeMinutes { get; set; } = 30;
}
