namespace Gateway.Core.Validation;

/// <summary>
/// ISO 4217 list one, active codes as of 2025 (HRK, CUC, ZWL and SLL withdrawn; VES, VED, SLE, ZWG, XCG in).
/// Precious metals, testing and "no currency" codes (XAU, XTS, XXX, ...) are excluded: they are not money a
/// conversion can be valued in.
/// </summary>
public static class Currencies
{
    private const string Codes =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD " +
        "CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS " +
        "GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD " +
        "KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK " +
        "NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP " +
        "STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST " +
        "XAF XCD XCG XDR XOF XPF XSU XUA YER ZAR ZMW ZWG";

    public static IReadOnlySet<string> Active { get; } = Codes.Split(' ').ToHashSet(StringComparer.Ordinal);

    /// <summary>Case-insensitive; callers store the upper-case form.</summary>
    public static bool IsActive(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetter) && Active.Contains(code.ToUpperInvariant());
}
