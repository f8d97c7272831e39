using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Normalization;

namespace Gateway.Core.Tests.Normalization;

/// <summary>
/// Runs the official Meta SDK (npm facebook-nodejs-business-sdk 24.0.1, ServerSideUtils.normalizeAndHash)
/// over MetaSdkOracle/corpus.json and requires our MetaNormalizer to give the same hash, except for entries
/// marked "deliberate" with a reason from <see cref="DeliberateReasons"/>; for those the test checks that the
/// difference is still real and that we produce the documented value.
/// </summary>
public sealed class MetaSdkOracleTests
{
    public static readonly IReadOnlyDictionary<string, string> DeliberateReasons = new Dictionary<string, string>
    {
        ["phone-trunk"] = "'+44 (0)20…': the bracketed trunk 0 is not part of an E.164 number; the SDK keeps it, so its hash can never match.",
        ["phone-separators"] = "'.', '/', tab, NBSP: the SDK strips only - ( ) + space and a few symbols and hashes the rest verbatim; we strip all separators.",
        ["phone-national"] = "No '+': we read the number as national to the site's default country (trunk prefix dropped, calling code added); Meta requires the country code, the SDK cannot know it.",
        ["phone-not-e164"] = "Not a possible E.164 number (letters, non-ASCII digits, too short/long, no calling code, misplaced '+'): we reject it at validation; the SDK hashes whatever is left.",
        ["phone-extension"] = "'… ext. 89': an extension is not part of the number the platforms match; we drop it (libphonenumber), the SDK hashes its digits run together with the number.",
        ["db-format"] = "The SDK does not normalize dates of birth; we convert YYYY-MM-DD and MM/DD/YYYY to Meta's documented YYYYMMDD and reject other shapes.",
        ["hashed-suffix"] = "64-hex + '.<token>' from Meta's parameter builder is already hashed and passes through (docs/platforms.md); the SDK's anchored regex misses it and hashes it again.",
        ["md5"] = "The SDK passes 32-hex (MD5-looking) values through unhashed; we hash them, so a raw 32-hex/digit value never leaves the gateway unhashed and TikTok (SHA-256 only) gets the same treatment.",
    };

    private sealed record Entry(
        [property: JsonPropertyName("field")] string Field,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("default_country")] string? DefaultCountry,
        [property: JsonPropertyName("deliberate")] string? Deliberate,
        [property: JsonPropertyName("ours")] string? Ours);

    [Fact]
    public void MetaNormalizer_MatchesOfficialSdk_ForEveryCorpusEntry()
    {
        var dir = OracleDirectory();
        var corpusJson = File.ReadAllText(Path.Combine(dir, "corpus.json"));
        var corpus = JsonSerializer.Deserialize<List<Entry>>(corpusJson)!;
        Assert.True(corpus.Count >= 200, $"corpus has only {corpus.Count} entries");

        var sdk = RunOracle(dir, corpus);
        Assert.Equal(corpus.Count, sdk.Count);

        var failures = new List<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var e = corpus[i];
            var field = MetaUserFieldNames.FromWireName(e.Field) ?? throw new InvalidOperationException($"unknown field {e.Field}");
            var ours = MetaNormalizer.NormalizeAndHash(e.Value, field, e.DefaultCountry);
            var describe = $"#{i} {e.Field} {JsonSerializer.Serialize(e.Value)} (default {e.DefaultCountry ?? "-"}): " +
                           $"ours={ours ?? "null"} [{MetaNormalizer.Normalize(e.Value, field, e.DefaultCountry) ?? "null"}] sdk={sdk[i] ?? "null"}";
            if (e.Deliberate is null)
            {
                if (ours != sdk[i])
                    failures.Add("MISMATCH " + describe);
                continue;
            }
            if (!DeliberateReasons.ContainsKey(e.Deliberate))
                failures.Add($"UNKNOWN REASON '{e.Deliberate}' " + describe);
            if (ours == sdk[i])
                failures.Add("NO LONGER DIFFERENT (remove 'deliberate') " + describe);
            var expected = e.Ours is null ? null : e.Deliberate == "hashed-suffix" ? e.Ours : Sha256Hex.Of(e.Ours);
            if (ours != expected)
                failures.Add($"NOT THE DOCUMENTED VALUE (expected {e.Ours ?? "null"}) " + describe);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} entries:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void OracleCorpus_KeepsDeliberateDifferencesFew()
    {
        var corpus = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(Path.Combine(OracleDirectory(), "corpus.json")))!;
        var deliberate = corpus.Count(e => e.Deliberate is not null);
        Assert.True(deliberate * 5 < corpus.Count, $"{deliberate} deliberate differences out of {corpus.Count}");
        Assert.True(corpus.Count(e => e.Deliberate is null && e.Field == "ph") >= 30, "phones must mostly match the SDK");
    }

    private static List<string?> RunOracle(string dir, List<Entry> corpus)
    {
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "facebook-nodejs-business-sdk")))
        {
            var (code, _, err) = Run(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", "ci --no-audit --no-fund", dir, null, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, "npm ci failed in MetaSdkOracle: " + err);
        }
        var input = JsonSerializer.Serialize(corpus.Select(e => new { field = e.Field, value = e.Value }));
        var (exit, stdout, stderr) = Run("node", "oracle.js", dir, input, TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, "oracle.js failed: " + stderr);
        return JsonSerializer.Deserialize<List<string?>>(stdout)!;
    }

    private static (int Code, string Stdout, string Stderr) Run(string file, string args, string dir, string? stdin, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
            p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {args} did not finish in {timeout}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The source folder (not bin/): node_modules is installed next to the committed lock file.</summary>
    private static string OracleDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "MetaSdkOracle");
            if (File.Exists(Path.Combine(candidate, "oracle.js")))
                return candidate;
        }
        throw new DirectoryNotFoundException("MetaSdkOracle folder not found above " + AppContext.BaseDirectory);
    }
}
