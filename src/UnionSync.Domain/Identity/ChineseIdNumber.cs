using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace UnionSync.Domain.Identity;

/// <summary>
/// GB 11643-1999 citizen identity numbers: 6-digit region, 8-digit birth date, 3-digit sequence
/// (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (<c>0</c>-<c>9</c> or <c>X</c>).
/// Error messages carry the number masked by <see cref="Redact.IdNumber"/>.
/// </summary>
public static class ChineseIdNumber
{
    public const int Length = 18;

    /// <summary>The length of first-generation (pre-1999) numbers: no century, no check character.</summary>
    public const int LegacyLength = 15;

    /// <summary>The earliest birth year accepted (the standard's own second example was born in 1880).</summary>
    public const int MinBirthYear = 1800;

    /// <summary>The latest birth year accepted.</summary>
    public const int MaxBirthYear = 2099;

    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    private const string CheckCharacters = "10X98765432";

    /// <summary>The check character of the first 17 digits.</summary>
    /// <exception cref="ArgumentException">the span is not 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"An identity number body has 17 digits, not {first17.Length}.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var digit = first17[i] - '0';
            if ((uint)digit > 9)
            {
                throw new ArgumentException($"An identity number body holds digits only; position {i + 1} is not one.", nameof(first17));
            }

            sum += digit * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Checks an 18-character number: length, digits, a known province in the region code, a real birth date and the
    /// check character. A lower-case <c>x</c> is accepted and the value normalised to <c>X</c>. Surrounding white space
    /// is an error, not trimmed.
    /// </summary>
    public static ParseResult<IdentityNumber> Validate(string? text)
    {
        var error = FindError(text, out var birthDate);
        return error is null
            ? ParseResult<IdentityNumber>.Success(new IdentityNumber(Normalize(text!), birthDate))
            : ParseResult<IdentityNumber>.Failure(error);
    }

    /// <summary>As <see cref="Validate(string?)"/>, and the birth date may not be after <paramref name="today"/>.</summary>
    public static ParseResult<IdentityNumber> Validate(string? text, DateOnly today)
    {
        var result = Validate(text);
        if (result.IsValid && result.Value.BirthDate > today)
        {
            return ParseResult<IdentityNumber>.Failure(
                $"Identity number {Redact.IdNumber(text)} has a birth date (positions 7-14) after today, {today:yyyy-MM-dd}.");
        }

        return result;
    }

    public static bool IsValid([NotNullWhen(true)] string? text) => FindError(text, out _) is null;

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IdentityNumber? number)
    {
        number = Validate(text).Value;
        return number is not null;
    }

    /// <exception cref="FormatException">the text is not a valid identity number; the message says why.</exception>
    public static IdentityNumber Parse(string text) => Validate(text).GetValueOrThrow();

    /// <summary>
    /// Upgrades a 15-digit first-generation number (<c>RRRRRRYYMMDDSSS</c>) to 18 characters: inserts <c>19</c>
    /// before the two-digit year and appends the check character.
    /// </summary>
    /// <exception cref="FormatException">the text is not a plausible 15-digit number; the message says why.</exception>
    public static string UpgradeLegacy(string fifteenDigits)
    {
        var error = FindLegacyError(fifteenDigits);
        return error is null ? Upgrade(fifteenDigits) : throw new FormatException(error);
    }

    public static bool TryUpgradeLegacy([NotNullWhen(true)] string? fifteenDigits, [NotNullWhen(true)] out string? upgraded)
    {
        upgraded = FindLegacyError(fifteenDigits) is null ? Upgrade(fifteenDigits!) : null;
        return upgraded is not null;
    }

    /// <summary>Builds a valid number from its parts; the synthetic-data generator uses it.</summary>
    /// <param name="regionCode">six digits whose first two name a province (GB/T 2260).</param>
    /// <param name="birthDate">between <see cref="MinBirthYear"/> and <see cref="MaxBirthYear"/>.</param>
    /// <param name="sequenceCode">0-999; odd for a man, even for a woman.</param>
    /// <exception cref="ArgumentException">a part is out of range.</exception>
    public static string Create(string regionCode, DateOnly birthDate, int sequenceCode)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        if (!AdministrativeDivision.IsIdentityRegion(regionCode))
        {
            throw new ArgumentException($"Region code '{regionCode}' is not six digits starting with a province code.", nameof(regionCode));
        }

        if (birthDate.Year is < MinBirthYear or > MaxBirthYear)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), birthDate, $"The birth year must lie in {MinBirthYear}-{MaxBirthYear}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequenceCode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceCode, 999);

        var body = string.Create(CultureInfo.InvariantCulture, $"{regionCode}{birthDate:yyyyMMdd}{sequenceCode:D3}");
        return body + ComputeCheckCharacter(body);
    }

    /// <summary>Completed years between <paramref name="birthDate"/> and <paramref name="today"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="today"/> is before <paramref name="birthDate"/>.</exception>
    public static int AgeOn(DateOnly birthDate, DateOnly today)
    {
        if (today < birthDate)
        {
            throw new ArgumentOutOfRangeException(nameof(today), today, "Today is before the birth date.");
        }

        var age = today.Year - birthDate.Year;
        return birthDate.AddYears(age) > today ? age - 1 : age;
    }

    private static string Normalize(string text) => text[^1] == 'x' ? string.Concat(text.AsSpan(0, Length - 1), "X") : text;

    private static string? FindError(string? text, out DateOnly birthDate)
    {
        birthDate = default;
        if (string.IsNullOrEmpty(text))
        {
            return "The identity number is empty.";
        }

        var masked = Redact.IdNumber(text);
        if (text.Length != Length)
        {
            var hint = text.Length == LegacyLength && AdministrativeDivision.IsAllDigits(text)
                ? " A 15-digit first-generation number must be upgraded first (ChineseIdNumber.UpgradeLegacy)."
                : string.Empty;
            return $"Identity number {masked} has {text.Length} characters; GB 11643 numbers have {Length}.{hint}";
        }

        var digitError = FindNonDigit(text.AsSpan(0, Length - 1), masked);
        if (digitError is not null)
        {
            return digitError;
        }

        var found = char.ToUpperInvariant(text[Length - 1]);
        if (!char.IsAsciiDigit(found) && found != 'X')
        {
            return $"Identity number {masked} ends in '{text[Length - 1]}'; the check character (position 18) is a digit or X.";
        }

        var error = FindRegionOrDateError(text.AsSpan(0, 6), text.AsSpan(6, 8), "7-14", masked, out birthDate);
        if (error is not null)
        {
            return error;
        }

        var expected = ComputeCheckCharacter(text.AsSpan(0, Length - 1));
        return expected == found
            ? null
            : $"Identity number {masked} has check character '{text[Length - 1]}' but its first 17 digits give '{expected}'.";
    }

    private static string? FindLegacyError(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "The identity number is empty.";
        }

        var masked = Redact.IdNumber(text);
        if (text.Length != LegacyLength)
        {
            return $"Identity number {masked} has {text.Length} characters; a first-generation number has {LegacyLength}.";
        }

        return FindNonDigit(text, masked)
            ?? FindRegionOrDateError(text.AsSpan(0, 6), string.Concat("19", text.AsSpan(6, 6)), "7-12", masked, out _);
    }

    private static string Upgrade(string fifteenDigits)
    {
        var body = string.Concat(fifteenDigits.AsSpan(0, 6), "19", fifteenDigits.AsSpan(6));
        return body + ComputeCheckCharacter(body);
    }

    private static string? FindNonDigit(ReadOnlySpan<char> digits, string masked)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return $"Identity number {masked} has '{digits[i]}' at position {i + 1}, where only a digit may stand.";
            }
        }

        return null;
    }

    private static string? FindRegionOrDateError(
        ReadOnlySpan<char> region, ReadOnlySpan<char> yyyyMMdd, string datePositions, string masked, out DateOnly birthDate)
    {
        birthDate = default;
        if (!AdministrativeDivision.IsIdentityRegion(region))
        {
            return $"Identity number {masked} has region code {region}, whose first digits name no province (GB/T 2260).";
        }

        var year = int.Parse(yyyyMMdd[..4], NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(yyyyMMdd.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var day = int.Parse(yyyyMMdd.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (year is < MinBirthYear or > MaxBirthYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            // The birth date itself stays out of the message: it is the masked part of the number.
            return $"Identity number {masked} has a birth date (positions {datePositions}) that is no real calendar date in {MinBirthYear}-{MaxBirthYear}.";
        }

        birthDate = new DateOnly(year, month, day);
        return null;
    }
}
