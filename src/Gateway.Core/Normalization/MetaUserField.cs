namespace Gateway.Core.Normalization;

/// <summary>Meta user_data keys that are normalized and hashed.</summary>
public enum MetaUserField { Em, Ph, Fn, Ln, Ge, Db, Ct, St, Zp, Country, ExternalId }

public static class MetaUserFieldNames
{
    /// <summary>The key as Meta (and the SDK's normalizeAndHash) spells it.</summary>
    public static string WireName(this MetaUserField field) => field switch
    {
        MetaUserField.Em => "em",
        MetaUserField.Ph => "ph",
        MetaUserField.Fn => "fn",
        MetaUserField.Ln => "ln",
        MetaUserField.Ge => "ge",
        MetaUserField.Db => "db",
        MetaUserField.Ct => "ct",
        MetaUserField.St => "st",
        MetaUserField.Zp => "zp",
        MetaUserField.Country => "country",
        MetaUserField.ExternalId => "external_id",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static MetaUserField? FromWireName(string name) =>
        Enum.GetValues<MetaUserField>().Cast<MetaUserField?>().FirstOrDefault(f => f!.Value.WireName() == name);
}
