using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace UnionSync.Domain.Contact;

/// <summary>
/// Mainland China phone numbers. Accepts a <c>+86</c>, <c>0086</c> or (for mobiles) bare <c>86</c> prefix and the
/// separators space, hyphen and parentheses; normalises mobiles to 11 digits and fixed lines to <c>0AREA-LOCAL</c>.
/// Error messages carry the number masked by <see cref="Redact.Phone"/>.
/// </summary>
public static class MainlandPhone
{
    public const int MobileLength = 11;

    /// <summary>The longest text accepted before separators are removed.</summary>
    public const int MaxInputLength = 32;

    public static ParseResult<PhoneNumber> Validate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail("The phone number is empty.");
        }

        var masked = Redact.Phone(text);
        if (text.Length > MaxInputLength)
        {
            return Fail($"Phone number {masked} has {text.Length} characters; no mainland number is longer than {MaxInputLength} with separators.");
        }

        var digits = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == '+' && digits.Length == 0)
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')'))
            {
                return Fail($"Phone number {masked} has '{c}' at position {i + 1}; only digits, a leading +, spaces, hyphens and parentheses may stand in it.");
            }
        }

        return Classify(digits.ToString(), masked);
    }

    public static bool IsValid([NotNullWhen(true)] string? text) => Validate(text).IsValid;

    /// <summary>True when <paramref name="text"/> is valid and already in its stored form.</summary>
    public static bool IsNormalized([NotNullWhen(true)] string? text) =>
        Validate(text) is { IsValid: true } result && string.Equals(result.Value.Value, text, StringComparison.Ordinal);

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PhoneNumber? number)
    {
        number = Validate(text).Value;
        return number is not null;
    }

    /// <summary>The stored form of <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">the text is no mainland phone number; the message says why.</exception>
    public static string Normalize(string text) => Validate(text).GetValueOrThrow().Value;

    private static ParseResult<PhoneNumber> Classify(string digits, string masked)
    {
        var international = false;
        if (digits.StartsWith("+86", StringComparison.Ordinal) || digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[(digits[0] == '+' ? 3 : 4)..];
            international = true;
        }
        else if (digits.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal))
        {
            return Fail($"Phone number {masked} has a country code other than +86; it is no mainland number.");
        }
        else if (digits.Length == MobileLength + 2 && digits.StartsWith("861", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        if (digits.Length == 0)
        {
            return Fail($"Phone number {masked} holds no digits after its country code.");
        }

        // Mobile numbers never start with 10; after +86 that is Beijing's area code without its trunk prefix.
        if (digits[0] == '1' && !(international && digits.StartsWith("10", StringComparison.Ordinal)))
        {
            return Mobile(digits, masked);
        }

        if (digits[0] != '0' && international)
        {
            // After +86 the trunk prefix 0 of the area code is dropped: +86 10 6234 5678 is 010-62345678.
            digits = "0" + digits;
        }

        return digits[0] == '0'
            ? FixedLine(digits, masked)
            : Fail($"Phone number {masked} is neither a mobile number (starting with 1) nor a fixed-line number with its area code (starting with 0).");
    }

    private static ParseResult<PhoneNumber> Mobile(string digits, string masked)
    {
        if (digits.Length != MobileLength)
        {
            return Fail($"Phone number {masked} has {digits.Length} digits; a mobile number has {MobileLength}.");
        }

        return digits[1] is >= '3' and <= '9'
            ? ParseResult<PhoneNumber>.Success(new PhoneNumber(digits, PhoneKind.Mobile, null))
            : Fail($"Phone number {masked} starts with 1{digits[1]}; mainland mobile numbers start with 13 to 19.");
    }

    private static ParseResult<PhoneNumber> FixedLine(string digits, string masked)
    {
        // Two-digit area codes are 10 and 20-29; every other area code has three digits.
        var areaLength = digits.Length > 1 && (digits[1] == '2' || digits.StartsWith("010", StringComparison.Ordinal)) ? 3 : 4;
        if (digits.Length < 2 || digits[1] == '0' || (digits[1] == '1' && !digits.StartsWith("010", StringComparison.Ordinal)))
        {
            return Fail($"Phone number {masked} has no mainland area code (010, 02X or 0XXX).");
        }

        var localLength = digits.Length - areaLength;
        if (localLength is < 7 or > 8)
        {
            return Fail($"Phone number {masked} has {Math.Max(localLength, 0)} digits after its area code; a fixed-line local number has 7 or 8.");
        }

        var local = digits[areaLength..];
        if (local[0] is '0' or '1')
        {
            return Fail($"Phone number {masked} has a local number starting with {local[0]}; fixed-line local numbers start with 2 to 9.");
        }

        var area = digits[..areaLength];
        return ParseResult<PhoneNumber>.Success(new PhoneNumber($"{area}-{local}", PhoneKind.FixedLine, area));
    }

    private static ParseResult<PhoneNumber> Fail(string error) => ParseResult<PhoneNumber>.Failure(error);
}
