namespace Gateway.Core.Validation;

/// <summary>A problem with one input field; <see cref="Field"/> is its JSON path (e.g. "user_data.email").</summary>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>
    /// A problem with one optional personal identifier (an email without a domain, a phone that does not
    /// parse): by default the identifier is dropped and the event kept, with this as a warning.
    /// </summary>
    public bool IsIdentifier { get; init; }

    /// <summary>Prefixes the path, e.g. with "events[3]" for a batch.</summary>
    public FieldError Under(string prefix) =>
        this with { Field = string.IsNullOrEmpty(Field) ? prefix : prefix + "." + Field };
}
