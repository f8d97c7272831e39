namespace Gateway.Core.Validation;

/// <summary>A problem with one input field; <see cref="Field"/> is its JSON path (e.g. "user_data.email").</summary>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>Prefixes the path, e.g. with "events[3]" for a batch.</summary>
    public FieldError Under(string prefix) =>
        this with { Field = string.IsNullOrEmpty(Field) ? prefix : prefix + "." + Field };
}
