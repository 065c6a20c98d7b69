using System.Diagnostics.CodeAnalysis;

namespace UnionSync.Domain.Identity;

/// <summary>
/// GB 32100-2015 unified social credit codes: 17 characters from a 31-symbol alphabet (digits and capital
/// letters without I, O, Z, S, V) and a MOD 31 check character. Positions: 1 registration authority, 2 organisation
/// category, 3-8 division code (GB/T 2260), 9-17 organisation code (GB 11714, with its own check character), 18 check.
/// </summary>
public static class UnifiedSocialCreditCode
{
    public const int Length = 18;

    /// <summary>The 31 symbols, in the order of their values 0..30.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private const string ExcludedLetters = "IOZSV";

    private static ReadOnlySpan<byte> Weights => [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>
    /// Registration authority → the organisation categories it assigns (GB 32100 with its amendments):
    /// 1 establishment offices, 2 foreign affairs, 3 justice, 4 culture, 5 civil affairs, 6 tourism, 7 religion,
    /// 8 trade unions, 9 market regulation, A the Central Military Commission, N agriculture, Y others.
    /// </summary>
    private static readonly Dictionary<char, string> Categories = new()
    {
        ['1'] = "1239",
        ['2'] = "19",
        ['3'] = "123459",
        ['4'] = "19",
        ['5'] = "1239",
        ['6'] = "129",
        ['7'] = "129",
        ['8'] = "19",
        ['9'] = "123",
        ['A'] = "19",
        ['N'] = "1239",
        ['Y'] = "1",
    };

    /// <summary>The check character of the first 17 characters.</summary>
    /// <exception cref="ArgumentException">the span is not 17 characters of <see cref="Alphabet"/>.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"A credit code body has 17 characters, not {first17.Length}.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"Position {i + 1} of a credit code body is '{first17[i]}', which GB 32100 does not use.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        var check = (31 - (sum % 31)) % 31;
        return Alphabet[check];
    }

    /// <summary>True when GB 32100 lets <paramref name="registrationAuthority"/> assign <paramref name="category"/>.</summary>
    public static bool IsKnownCategory(char registrationAuthority, char category) =>
        Categories.TryGetValue(registrationAuthority, out var categories) && categories.Contains(category, StringComparison.Ordinal);

    /// <summary>
    /// Checks a code: length, alphabet, the authority/category pair, the division code, the overall check character
    /// and the embedded organisation code's check character. Lower-case letters are accepted and the value upper-cased.
    /// </summary>
    public static ParseResult<CreditCode> Validate(string? text)
    {
        var error = FindError(text);
        return error is null
            ? ParseResult<CreditCode>.Success(new CreditCode(text!.ToUpperInvariant()))
            : ParseResult<CreditCode>.Failure(error);
    }

    public static bool IsValid([NotNullWhen(true)] string? text) => FindError(text) is null;

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CreditCode? code)
    {
        code = Validate(text).Value;
        return code is not null;
    }

    /// <exception cref="FormatException">the text is not a valid credit code; the message says why.</exception>
    public static CreditCode Parse(string text) => Validate(text).GetValueOrThrow();

    /// <summary>Builds a valid code from its parts, computing both check characters; the data generator uses it.</summary>
    /// <param name="registrationAuthority">position 1, e.g. <c>9</c> (market regulation).</param>
    /// <param name="category">position 2, one that <paramref name="registrationAuthority"/> assigns, e.g. <c>1</c> (enterprise).</param>
    /// <param name="divisionCode">positions 3-8: six digits starting with a province code, or <c>100000</c>.</param>
    /// <param name="organizationCodeBody">the 8 body characters of the organisation code, from <see cref="Alphabet"/>.</param>
    /// <exception cref="ArgumentException">a part is not valid.</exception>
    public static string Create(char registrationAuthority, char category, string divisionCode, string organizationCodeBody)
    {
        ArgumentNullException.ThrowIfNull(divisionCode);
        ArgumentNullException.ThrowIfNull(organizationCodeBody);
        if (!IsKnownCategory(registrationAuthority, category))
        {
            throw new ArgumentException($"GB 32100 has no organisation category '{registrationAuthority}{category}'.", nameof(category));
        }

        if (!AdministrativeDivision.IsRegistrationDivision(divisionCode))
        {
            throw new ArgumentException($"Division code '{divisionCode}' is not six digits starting with a province code.", nameof(divisionCode));
        }

        if (organizationCodeBody.Length != OrganizationCode.Length - 1 || !IsInAlphabet(organizationCodeBody))
        {
            throw new ArgumentException($"An organisation code body is 8 characters of '{Alphabet}', not '{organizationCodeBody}'.", nameof(organizationCodeBody));
        }

        var body = string.Concat(
            [registrationAuthority, category],
            divisionCode,
            organizationCodeBody,
            [OrganizationCode.ComputeCheckCharacter(organizationCodeBody)]);
        return body + ComputeCheckCharacter(body);
    }

    private static bool IsInAlphabet(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string? FindError(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "The credit code is empty.";
        }

        if (text.Length != Length)
        {
            return $"Credit code '{text}' has {text.Length} characters; GB 32100 codes have {Length}.";
        }

        var code = text.ToUpperInvariant();
        for (var i = 0; i < code.Length; i++)
        {
            if (ExcludedLetters.Contains(code[i], StringComparison.Ordinal))
            {
                return $"Credit code '{text}' has '{text[i]}' at position {i + 1}; GB 32100 uses no I, O, Z, S or V.";
            }

            if (!Alphabet.Contains(code[i], StringComparison.Ordinal))
            {
                return $"Credit code '{text}' has '{text[i]}' at position {i + 1}; only digits and capital letters may stand there.";
            }
        }

        if (!IsKnownCategory(code[0], code[1]))
        {
            return $"Credit code '{text}' starts with '{code[..2]}', which is no registration authority and organisation category of GB 32100.";
        }

        if (!AdministrativeDivision.IsRegistrationDivision(code.AsSpan(2, 6)))
        {
            return $"Credit code '{text}' has division code '{code[2..8]}' (positions 3-8), which is not six digits starting with a province code.";
        }

        var expected = ComputeCheckCharacter(code.AsSpan(0, Length - 1));
        if (expected != code[^1])
        {
            return $"Credit code '{text}' has check character '{text[^1]}' but its first 17 characters give '{expected}'.";
        }

        var organizationCode = code.AsSpan(8, OrganizationCode.Length);
        var expectedInner = OrganizationCode.ComputeCheckCharacter(organizationCode[..^1]);
        return expectedInner == organizationCode[^1]
            ? null
            : $"Credit code '{text}' embeds organisation code '{organizationCode}' (positions 9-17), whose check character is '{organizationCode[^1]}' but GB 11714 gives '{expectedInner}'.";
    }
}
