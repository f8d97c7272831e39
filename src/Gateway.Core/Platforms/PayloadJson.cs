using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Platforms;

/// <summary>Writer settings and null-omitting helpers shared by the payload builders.</summary>
internal static class PayloadJson
{
    // The body goes to an API, never into HTML: relaxed escaping keeps '+', '&' and non-ASCII readable in
    // golden files and logs while remaining valid JSON.
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static void StringIfPresent(this Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            w.WriteString(name, value);
    }

    public static void NumberIfPresent(this Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
    }

    public static void NumberIfPresent(this Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
    }

    /// <summary>Meta accepts hashed keys as arrays (its SDKs always send arrays); we send one-element arrays.</summary>
    public static void ArrayOfOneIfPresent(this Utf8JsonWriter w, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        w.WriteStartArray(name);
        w.WriteStringValue(value);
        w.WriteEndArray();
    }

    public static string Invariant(this decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
