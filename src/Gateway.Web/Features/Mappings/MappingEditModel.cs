using Gateway.Core.Mapping;
using Gateway.Core.Platforms;
using MudBlazor;

namespace Gateway.Web.Features.Mappings;

/// <summary>The "Edit a mapping" form's state.</summary>
public sealed class MappingEditModel
{
    public Platform Platform { get; set; }
    public string Canonical { get; set; } = "";
    public string? Target { get; set; }
    public int? DestinationId { get; set; }

    public static Severity SeverityOf(MappingIssue issue) => issue.Severity switch
    {
        MappingIssueSeverity.Error => Severity.Error,
        MappingIssueSeverity.Warning => Severity.Warning,
        _ => Severity.Info,
    };
}
