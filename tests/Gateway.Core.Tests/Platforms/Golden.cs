using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Core.Tests.Platforms;

/// <summary>
/// Golden-file comparison after removing whitespace outside JSON strings. Set GOLDEN_UPDATE=1 to rewrite
/// the files (then review the diff: the files are the wire contract).
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string fileName, byte[] actualUtf8, [CallerFilePath] string callerPath = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", fileName);
        var actual = Encoding.UTF8.GetString(actualUtf8);
        if (Environment.GetEnvironmentVariable("GOLDEN_UPDATE") == "1")
        {
            File.WriteAllText(path, Pretty(actual) + "\n");
            return;
        }
        Assert.True(File.Exists(path), $"Golden file missing: {path} (run with GOLDEN_UPDATE=1 once and review it)");
        Assert.Equal(StripWhitespace(File.ReadAllText(path)), StripWhitespace(actual));
    }

    public static string StripWhitespace(string json)
    {
        var sb = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                    sb.Append(json[++i]);
                else if (c == '"')
                    inString = false;
            }
            else if (c == '"')
            {
                inString = true;
                sb.Append(c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string Pretty(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return System.Text.Json.JsonSerializer.Serialize(doc.RootElement, new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }
}
