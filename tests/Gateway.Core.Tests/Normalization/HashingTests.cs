using Gateway.Core.Normalization;

namespace Gateway.Core.Tests.Normalization;

public sealed class HashingTests
{
    private const string Hash = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

    [Fact]
    public void Sha256Hex_IsLowercaseHexOfUtf8() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256Hex.Of("abc"));

    [Fact]
    public void Sha256Hex_HashesUnicodeAsUtf8() =>
        // sha256 of the UTF-8 bytes C3 A9 ("é"), as js-sha256 and hashlib compute it
        Assert.Equal("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", Sha256Hex.Of("\u00e9"));

    [Theory]
    [InlineData(" John.Doe@Example.COM ", "john.doe@example.com")]
    [InlineData("\tjane@example.org\n", "jane@example.org")]
    [InlineData("\uFEFFbom@example.com", "bom@example.com")]
    [InlineData("\u212Aelvin@example.com", "kelvin@example.com")]
    public void Meta_Email_IsTrimmedAndLowercased(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Em));

    [Theory]
    [InlineData("nel@example.com\u0085")] // U+0085 is not JS whitespace: not trimmed, so invalid
    [InlineData("müller@example.de")]
    [InlineData("not-an-email")]
    [InlineData("   ")]
    public void Meta_Email_IsNull_WhenTheSdkWouldReject(string raw) =>
        Assert.Null(MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Em));

    [Theory]
    [InlineData("\u0130smail", "i\u0307smail")] // İ lowercases to i + combining dot in JS
    [InlineData("\u039F\u0394\u03A5\u03A3\u03A3\u0395\u0391\u03A3", "\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03B1\u03C2")] // final sigma
    [InlineData("\u03A3", "\u03C3")] // a lone sigma is not final
    [InlineData("Stra\u00DFe", "stra\u00DFe")]
    [InlineData("Jose\u0301", "jose\u0301")] // no Unicode normalization (the SDK does none)
    [InlineData("\u3000\u5C71\u7530\u3000", "\u5C71\u7530")] // ideographic space is JS whitespace
    [InlineData("John\u200B", "john\u200B")] // zero-width space is not
    [InlineData("\U00010400", "\U00010428")] // Deseret, outside the BMP
    [InlineData("Anne Marie", "anne marie")]
    public void Meta_Names_FollowJavaScriptCasing(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Fn));

    [Theory]
    [InlineData("New York", "newyork")]
    [InlineData("St. John's", "stjohn's")] // the SDK keeps apostrophes
    [InlineData("Washington, D.C.", "washington,dc")]
    [InlineData("Paris 75001", "paris")]
    [InlineData("Z\u00FCrich", "z\u00FCrich")]
    public void Meta_City_DropsDigitsSpacesAndSomePunctuation(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Ct));

    [Theory]
    [InlineData("94035-1234", "94035")]
    [InlineData("940351234", "940351234")] // the SDK does not cut 9 digits without a hyphen; neither do we
    [InlineData("SW1A 1AA", "sw1a1aa")]
    [InlineData("02134", "02134")]
    public void Meta_Zip_MatchesTheSdk(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Zp));

    [Fact]
    public void Meta_Zip_IsNull_WhenShorterThanTwo() => Assert.Null(MetaNormalizer.NormalizeAndHash("1-234", MetaUserField.Zp));

    [Theory]
    [InlineData("Female", "f")]
    [InlineData(" M ", "m")]
    [InlineData("F.", "f")]
    public void Meta_Gender_MapsToFOrM(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Ge));

    [Theory]
    [InlineData("woman")]
    [InlineData("x")]
    public void Meta_Gender_IsNull_ForOtherValues(string raw) => Assert.Null(MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Ge));

    [Theory]
    [InlineData("US", "us")]
    [InlineData(" gb ", "gb")]
    public void Meta_Country_IsLowercaseAlpha2(string raw, string normalized) =>
        Assert.Equal(Sha256Hex.Of(normalized), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Country));

    [Theory]
    [InlineData("UK")]
    [InlineData("USA")]
    public void Meta_Country_IsNull_WhenNotAlpha2(string raw) => Assert.Null(MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Country));

    [Theory]
    [InlineData("1990-01-02")]
    [InlineData("19900102")]
    [InlineData("01/02/1990")]
    public void Meta_DateOfBirth_IsYyyymmdd(string raw) =>
        Assert.Equal(Sha256Hex.Of("19900102"), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Db));

    [Theory]
    [InlineData("+1 (555) 123-4567", null)]
    [InlineData("(555) 123-4567", "US")]
    public void Meta_Phone_IsDigitsWithCountryCode_TikTok_IsE164WithPlus(string raw, string? country)
    {
        Assert.Equal(Sha256Hex.Of("15551234567"), MetaNormalizer.NormalizeAndHash(raw, MetaUserField.Ph, country));
        Assert.Equal(Sha256Hex.Of("+15551234567"), TikTokNormalizer.HashPhone(raw, country));
    }

    [Fact]
    public void Meta_ExternalId_IsTrimmedAndLowercased_TikTok_IsTrimmedOnly()
    {
        Assert.Equal(Sha256Hex.Of("cust-42"), MetaNormalizer.NormalizeAndHash(" Cust-42 ", MetaUserField.ExternalId));
        Assert.Equal(Sha256Hex.Of("Cust-42"), TikTokNormalizer.HashExternalId(" Cust-42 "));
    }

    [Fact]
    public void TikTok_Email_IsTrimmedAndLowercased() =>
        Assert.Equal(Sha256Hex.Of("jane@example.com"), TikTokNormalizer.HashEmail("  Jane@Example.com "));

    [Fact]
    public void AlreadyHashed_PassesThroughLowercased_OnBothPlatforms()
    {
        foreach (var field in Enum.GetValues<MetaUserField>())
            Assert.Equal(Hash, MetaNormalizer.NormalizeAndHash(" " + Hash.ToUpperInvariant() + " ", field));
        Assert.Equal(Hash, TikTokNormalizer.HashEmail(Hash.ToUpperInvariant()));
        Assert.Equal(Hash, TikTokNormalizer.HashPhone(Hash, "US"));
        Assert.Equal(Hash, TikTokNormalizer.HashExternalId(Hash.ToUpperInvariant()));
    }

    [Fact]
    public void AlreadyHashed_KeepsTheMetaSuffix_ForMeta_AndDropsItForTikTok()
    {
        var withSuffix = Hash.ToUpperInvariant() + ".AQYBAQIA";
        Assert.Equal(Hash + ".AQYBAQIA", MetaNormalizer.NormalizeAndHash(withSuffix, MetaUserField.Em));
        Assert.Equal(Hash, TikTokNormalizer.HashEmail(withSuffix));
        Assert.Equal(Hash, AlreadyHashed.WithoutSuffix(Hash + ".AQYBAQIA"));
    }

    [Theory]
    [InlineData("5d41402abc4b2a76b9719d911017c592")] // MD5-length: hashed again, not passed through
    [InlineData("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde")] // 63 hex
    [InlineData("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9.")] // empty suffix
    [InlineData("g94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")]
    public void AlreadyHashed_RejectsLookalikes(string value) => Assert.False(AlreadyHashed.IsHashed(value));

    [Theory]
    [InlineData(" a \u00A0", "a")]
    [InlineData("\u2028a\u2029", "a")]
    [InlineData("\u0085a", "\u0085a")]
    public void JsText_Trim_UsesJavaScriptWhitespace(string raw, string trimmed) => Assert.Equal(trimmed, JsText.Trim(raw));

    [Theory]
    [InlineData("1990-01-02", "19900102")]
    [InlineData("19900102", "19900102")]
    [InlineData("12/31/1990", "19901231")]
    public void DateOfBirth_Normalizes(string raw, string expected)
    {
        Assert.True(DateOfBirth.TryNormalize(raw, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("31/12/1990")]
    [InlineData("1990-02-30")]
    [InlineData("90-01-02")]
    public void DateOfBirth_Rejects(string raw) => Assert.False(DateOfBirth.TryNormalize(raw, out _));
}
