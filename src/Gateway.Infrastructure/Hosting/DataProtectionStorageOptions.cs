using System.ComponentModel.DataAnnotations;

namespace Gateway.Infrastructure.Hosting;

public sealed class DataProtectionStorageOptions
{
    public const string Section = "DataProtection";

    /// <summary>Folder for the Data Protection key ring. Losing it makes stored tokens unreadable.</summary>
    [Required]
    public string KeysPath { get; set; } = "data/keys";
}
