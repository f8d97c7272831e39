using Gateway.Core.Normalization;

namespace Gateway.Core.Tests.Normalization;

public sealed class PhoneNormalizerTests
{
    [Theory]
    [InlineData("+1 (555) 123-4567", null, "+15551234567")]
    [InlineData("  +1.555.123.4567  ", null, "+15551234567")]
    [InlineData("+1/555/123/4567", null, "+15551234567")]
    [InlineData("+1\u00A0555\t123 4567", null, "+15551234567")]
    [InlineData("15551234567", null, "+15551234567")]
    [InlineData("(555) 123-4567", "US", "+15551234567")]
    [InlineData("1 (555) 123-4567", "US", "+15551234567")]
    [InlineData("555 123 4567", "ca", "+15551234567")]
    [InlineData("011 44 7911 123456", "US", "+447911123456")]
    [InlineData("0044 7911 123456", "US", "+447911123456")]
    [InlineData("00 49 30 1234567", null, "+49301234567")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("07911 123456", "GB", "+447911123456")]
    [InlineData("+44 (0)20 7946 0958", null, "+442079460958")]
    [InlineData("+33 (0)1 23 45 67 89", "US", "+33123456789")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    [InlineData("06 1234 5678", "IT", "+390612345678")]
    [InlineData("+39 06 1234 5678", null, "+390612345678")]
    [InlineData("8 912 345-67-89", "RU", "+79123456789")]
    [InlineData("06 1 234 5678", "HU", "+3612345678")]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("+971 50 123 4567", null, "+971501234567")]
    [InlineData("+383 44 123 456", null, "+38344123456")]
    // Extensions are not part of the matched number (libphonenumber).
    [InlineData("+1-650-555-1234 ext. 5", null, "+16505551234")]
    [InlineData("+1 555 123 4567 ext 12", "US", "+15551234567")]
    [InlineData("(650) 555-1234 x12", "US", "+16505551234")]
    [InlineData("+44 20 7946 0958 #221", null, "+442079460958")]
    // 00 is understood as the international prefix whatever the site's country; 011 in NANP countries.
    [InlineData("00 33 1 23 45 67 89", "DE", "+33123456789")]
    [InlineData("011 81 3 1234 5678", "CA", "+81312345678")]
    public void Normalize_ReturnsE164(string raw, string? country, string expected)
    {
        var r = PhoneNormalizer.Normalize(raw, country);
        Assert.Null(r.Error);
        Assert.Equal(expected, r.E164);
        Assert.Equal(expected[1..], r.Digits);
    }

    [Theory]
    [InlineData("", "US")]
    [InlineData("   ", "US")]
    [InlineData("---", "US")]
    [InlineData("tel:+15551234567", "US")]
    [InlineData("+1 800 FLOWERS", "US")]
    [InlineData("5551234", "US")] // a US number without its area code cannot be matched
    [InlineData("+44 1234 5678", null)] // too short for a UK number
    [InlineData("+49 30 1234567890123", null)] // too long for Germany
    [InlineData("++15551234567", "US")]
    [InlineData("555+1234567", "US")]
    [InlineData("+0015551234567", "US")]
    [InlineData("+\uFF11\uFF15\uFF15\uFF15\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17", "US")] // full-width digits
    [InlineData("+\u0669\u0667\u0661\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "US")] // Arabic-Indic digits
    [InlineData("+1234567890123456", null)] // 16 digits
    [InlineData("+44 1234", null)] // 6 digits
    [InlineData("020 7946 0958", null)] // national without a default country
    [InlineData("+999 1234 5678", null)] // unassigned calling code
    public void Normalize_Fails(string raw, string? country)
    {
        var r = PhoneNormalizer.Normalize(raw, country);
        Assert.False(r.Success);
        Assert.NotNull(r.Error);
        Assert.Null(r.Digits);
    }

    [Fact]
    public void Normalize_ChecksTheLengthPerRegion_NotOneGlobalRange()
    {
        Assert.True(PhoneNormalizer.Normalize("+49 30 1234567", null).Success); // Germany: variable length
        Assert.True(PhoneNormalizer.Normalize("+49 30 12345678", null).Success);
        Assert.False(PhoneNormalizer.Normalize("+1 650 555 123", null).Success); // NANP: exactly 10 national digits
        Assert.False(PhoneNormalizer.Normalize("+1 650 555 12345", null).Success);
    }

    [Fact]
    public void Normalize_TreatsAnUnknownDefaultCountryAsNone() =>
        Assert.Equal(PhoneNormalizer.Normalize("020 7946 0958", null), PhoneNormalizer.Normalize("020 7946 0958", "ZZ"));

    [Theory]
    [InlineData("15551234567", "1")]
    [InlineData("447911123456", "44")]
    [InlineData("971501234567", "971")]
    [InlineData("0123", null)]
    public void CallingCodeOf_FindsThePrefixFreeCode(string digits, string? code) =>
        Assert.Equal(code, PhoneNormalizer.CallingCodeOf(digits));

    [Fact]
    public void Countries_HasAllIsoAlpha2CodesOfTheSdkList_WithCallingCodes()
    {
        Assert.Equal(249, Countries.ByAlpha2.Count);
        Assert.All(Countries.ByAlpha2.Values, c => Assert.Matches("^[1-9][0-9]{0,2}$", c.CallingCode));
        Assert.Equal("44", Countries.ByAlpha2["GB"].CallingCode);
        Assert.Equal("1", Countries.ByAlpha2["US"].TrunkPrefix);
        Assert.Equal("", Countries.ByAlpha2["IT"].TrunkPrefix);
    }
}
