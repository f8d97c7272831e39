namespace Gateway.Infrastructure.Alerts;

public enum AlertTargetKind { Slack, SignedJson }

/// <summary>Where alerts go: a Slack-compatible incoming webhook, or any URL taking a JSON body signed with HMAC-SHA256.</summary>
public sealed class AlertTarget
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public AlertTargetKind Kind { get; set; }
    public required string Url { get; set; }
    /// <summary>SignedJson only: the HMAC key, encrypted with the app's key ring (it must be readable to sign).</summary>
    public string? ProtectedSecret { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

/// <summary>A condition already announced and not yet cleared; its key makes the announcement once-only on every node.</summary>
public sealed class AlertState
{
    public required string Key { get; set; }
    public required string Message { get; set; }
    public DateTime Since { get; set; }
}

public enum AlertMessageKind { Firing, Recovered, Test }

public enum AlertSendOutcome { Pending, Sent, Failed }

/// <summary>One message to one target: what was said, and whether the target took it (the alert history page).</summary>
public sealed class AlertMessage
{
    public long Id { get; set; }
    public int TargetId { get; set; }
    public DateTime At { get; set; }
    public AlertMessageKind Kind { get; set; }
    public required string Key { get; set; }
    public required string Text { get; set; }
    public AlertSendOutcome Outcome { get; set; }
    public int Attempts { get; set; }
    public int? HttpStatus { get; set; }
    public string? Error { get; set; }
    public DateTime? SentAt { get; set; }
}
