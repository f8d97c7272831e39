namespace Gateway.Core.Normalization;

/// <summary>
/// ISO 3166-1 alpha-2 codes (the 249 of npm iso-3166-1 2.1.1, which Meta's SDK checks against) with each
/// country's ITU calling code and national trunk prefix, for the phone normalizer.
/// </summary>
public static class Countries
{
    public sealed record Country(string Alpha2, string CallingCode, string TrunkPrefix);

    // Trunk prefix "0" unless listed: NANP dials 1, RU/KZ/BY/LT dial 8, HU dials 06; in IT, SM, VA and CI a
    // leading 0 belongs to the number itself and must be kept.
    private static readonly Dictionary<string, string> TrunkExceptions = new()
    {
        ["IT"] = "", ["SM"] = "", ["VA"] = "", ["CI"] = "",
        ["RU"] = "8", ["KZ"] = "8", ["BY"] = "8", ["LT"] = "8", ["HU"] = "06",
    };

    private const string Table =
        "AF93 AX358 AL355 DZ213 AS1 AD376 AO244 AI1 AQ672 AG1 AR54 AM374 AW297 AU61 AT43 AZ994 BS1 BH973 BD880 BB1 " +
        "BY375 BE32 BZ501 BJ229 BM1 BT975 BO591 BQ599 BA387 BW267 BV47 BR55 IO246 BN673 BG359 BF226 BI257 CV238 " +
        "KH855 CM237 CA1 KY1 CF236 TD235 CL56 CN86 CX61 CC61 CO57 KM269 CG242 CD243 CK682 CR506 CI225 HR385 CU53 " +
        "CW599 CY357 CZ420 DK45 DJ253 DM1 DO1 EC593 EG20 SV503 GQ240 ER291 EE372 ET251 FK500 FO298 FJ679 FI358 " +
        "FR33 GF594 PF689 TF262 GA241 GM220 GE995 DE49 GH233 GI350 GR30 GL299 GD1 GP590 GU1 GT502 GG44 GN224 " +
        "GW245 GY592 HT509 HM672 VA39 HN504 HK852 HU36 IS354 IN91 ID62 IR98 IQ964 IE353 IM44 IL972 IT39 JM1 JP81 " +
        "JE44 JO962 KZ7 KE254 KI686 KP850 KR82 KW965 KG996 LA856 LV371 LB961 LS266 LR231 LY218 LI423 LT370 LU352 " +
        "MO853 MK389 MG261 MW265 MY60 MV960 ML223 MT356 MH692 MQ596 MR222 MU230 YT262 MX52 FM691 MD373 MC377 " +
        "MN976 ME382 MS1 MA212 MZ258 MM95 NA264 NR674 NP977 NL31 NC687 NZ64 NI505 NE227 NG234 NU683 NF672 MP1 " +
        "NO47 OM968 PK92 PW680 PS970 PA507 PG675 PY595 PE51 PH63 PN64 PL48 PT351 PR1 QA974 RE262 RO40 RU7 RW250 " +
        "BL590 SH290 KN1 LC1 MF590 PM508 VC1 WS685 SM378 ST239 SA966 SN221 RS381 SC248 SL232 SG65 SX1 SK421 " +
        "SI386 SB677 SO252 ZA27 GS500 SS211 ES34 LK94 SD249 SR597 SJ47 SZ268 SE46 CH41 SY963 TW886 TJ992 TZ255 " +
        "TH66 TL670 TG228 TK690 TO676 TT1 TN216 TR90 TM993 TC1 TV688 UG256 UA380 AE971 GB44 US1 UM1 UY598 UZ998 " +
        "VU678 VE58 VN84 VG1 VI1 WF681 EH212 YE967 ZM260 ZW263";

    public static IReadOnlyDictionary<string, Country> ByAlpha2 { get; } = Table
        .Split(' ')
        .Select(e => new Country(e[..2], e[2..], TrunkExceptions.GetValueOrDefault(e[..2], e[2..] == "1" ? "1" : "0")))
        .ToDictionary(c => c.Alpha2, StringComparer.Ordinal);

    /// <summary>Calling codes in use; E.164 codes are prefix-free, so at most one 1–3 digit prefix matches.
    /// 383 (Kosovo) has no ISO alpha-2 code but real numbers use it.</summary>
    public static IReadOnlySet<string> CallingCodes { get; } =
        ByAlpha2.Values.Select(c => c.CallingCode).Append("383").ToHashSet(StringComparer.Ordinal);

    /// <summary>Case-insensitive ISO alpha-2 lookup (ASCII letters only).</summary>
    public static bool TryGet(string? alpha2, out Country country)
    {
        country = null!;
        if (alpha2 is not { Length: 2 } || !alpha2.All(char.IsAsciiLetter))
            return false;
        return ByAlpha2.TryGetValue(alpha2.ToUpperInvariant(), out country!);
    }

    public static bool IsAlpha2(string? value) => TryGet(value, out _);
}
