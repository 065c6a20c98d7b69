namespace UnionSync.Domain.Identity;

/// <summary>
/// Province-level prefixes of GB/T 2260 administrative division codes. Only the first two digits are checked:
/// county-level codes change every year and the full list is not the domain's to keep.
/// </summary>
internal static class AdministrativeDivision
{
    /// <summary>11-65 mainland provinces, 71 Taiwan, 81 Hong Kong, 82 Macao.</summary>
    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15,
        21, 22, 23,
        31, 32, 33, 34, 35, 36, 37,
        41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54,
        61, 62, 63, 64, 65,
        71, 81, 82,
    ];

    /// <summary>The code that central (national-level) registration authorities use in credit codes.</summary>
    public const string National = "100000";

    /// <summary>True when <paramref name="code"/> is six ASCII digits.</summary>
    public static bool IsSixDigits(ReadOnlySpan<char> code) => code.Length == 6 && IsAllDigits(code);

    /// <summary>True when the first two of six digits name a province, region or special administrative region.</summary>
    public static bool HasKnownProvince(ReadOnlySpan<char> sixDigits) =>
        IsSixDigits(sixDigits) && Provinces.Contains(((sixDigits[0] - '0') * 10) + (sixDigits[1] - '0'));

    /// <summary>
    /// The region part of an identity number: a province-level code, or 83 (residence permits of Taiwan residents),
    /// or 9 followed by a province (the 2023 permanent-residence identity cards of foreigners).
    /// </summary>
    public static bool IsIdentityRegion(ReadOnlySpan<char> sixDigits)
    {
        if (!IsSixDigits(sixDigits))
        {
            return false;
        }

        if (sixDigits[0] == '9')
        {
            return Provinces.Contains(((sixDigits[1] - '0') * 10) + (sixDigits[2] - '0'));
        }

        return HasKnownProvince(sixDigits) || sixDigits.StartsWith("83", StringComparison.Ordinal);
    }

    /// <summary>The registration authority's division in a credit code: a province-level code or <see cref="National"/>.</summary>
    public static bool IsRegistrationDivision(ReadOnlySpan<char> sixDigits) =>
        HasKnownProvince(sixDigits) || sixDigits.SequenceEqual(National);

    internal static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
