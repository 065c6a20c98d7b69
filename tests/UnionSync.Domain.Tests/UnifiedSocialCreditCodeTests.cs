using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class UnifiedSocialCreditCodeTests
{
    /// <summary>Published examples: the OECD's China TIN sheet (also python-stdnum's doctest), and two codes quoted in public validators.</summary>
    [Theory]
    [InlineData("91110000600037341L")]
    [InlineData("9135052155323005XL")]
    [InlineData("12440300MB2C92173E")]
    public void Published_codes_are_valid(string code)
    {
        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(code, result.Value.Value);
    }

    [Fact]
    public void A_code_exposes_its_parts()
    {
        var code = UnifiedSocialCreditCode.Parse("9135052155323005XL");

        Assert.Equal('9', code.RegistrationAuthority);
        Assert.Equal('1', code.Category);
        Assert.Equal("350521", code.DivisionCode);
        Assert.Equal("55323005X", code.OrganizationCode);
        Assert.Equal('L', code.CheckCharacter);
        Assert.Equal("9135052155323005XL", code.ToString());
    }

    [Fact]
    public void Check_characters_of_random_bodies_agree_with_the_tests_own_arithmetic()
    {
        var random = new Random(32100);
        var seen = new HashSet<char>();
        for (var n = 0; n < 3_000; n++)
        {
            var code = RandomNumbers.CreditCode(random);
            Assert.Equal(code[17], UnifiedSocialCreditCode.ComputeCheckCharacter(code.AsSpan(0, 17)));
            var result = UnifiedSocialCreditCode.Validate(code);
            Assert.True(result.IsValid, result.Error);
            seen.Add(code[17]);
        }

        Assert.Equal(31, seen.Count);
    }

    [Fact]
    public void Every_single_character_mutation_of_a_valid_code_is_invalid()
    {
        var random = new Random(2015);
        for (var n = 0; n < 20; n++)
        {
            var code = RandomNumbers.CreditCode(random);
            foreach (var (position, mutant) in RandomNumbers.SingleSubstitutions(code, IndependentCheck.CreditAlphabet, 18))
            {
                Assert.False(UnifiedSocialCreditCode.IsValid(mutant), $"a change at position {position} went unnoticed: {mutant}");
            }
        }
    }

    [Fact]
    public void A_wrong_check_character_is_reported_with_expected_and_found()
    {
        var result = UnifiedSocialCreditCode.Validate("91110000600037341M");

        Assert.False(result.IsValid);
        Assert.Contains("'M'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'L'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Letters_that_GB_32100_leaves_out_are_refused(char letter)
    {
        var code = "91110000" + letter + "00037341L";

        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.False(result.IsValid);
        Assert.Contains($"'{letter}' at position 9", result.Error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.ComputeCheckCharacter(code.AsSpan(0, 17)));
    }

    [Fact]
    public void Lower_case_letters_are_accepted_and_upper_cased()
    {
        var result = UnifiedSocialCreditCode.Validate("9135052155323005xl");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal("9135052155323005XL", result.Value.Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    [InlineData("91110000600037341", "17 characters")]
    [InlineData("91110000600037341LL", "19 characters")]
    [InlineData("9111000060003734-L", "'-' at position 17")]
    public void Malformed_codes_say_what_is_wrong(string? code, string expected)
    {
        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('B', '1')]
    [InlineData('G', '1')]
    [InlineData('0', '1')]
    [InlineData('9', '4')]
    [InlineData('9', '9')]
    [InlineData('Y', '2')]
    [InlineData('8', '2')]
    public void An_authority_and_category_pair_that_GB_32100_does_not_define_is_invalid(char authority, char category)
    {
        var code = WithValidChecks($"{authority}{category}110000", "60003734");

        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.False(result.IsValid);
        Assert.Contains("registration authority", result.Error, StringComparison.Ordinal);
        Assert.False(UnifiedSocialCreditCode.IsKnownCategory(authority, category));
    }

    [Theory]
    [InlineData('1', '3')]
    [InlineData('5', '2')]
    [InlineData('8', '1')]
    [InlineData('9', '2')]
    [InlineData('A', '9')]
    [InlineData('N', '3')]
    [InlineData('Y', '1')]
    public void Every_authority_of_the_standard_is_accepted_with_its_categories(char authority, char category)
    {
        var code = WithValidChecks($"{authority}{category}330100", "MA2CK7Q8");

        Assert.True(UnifiedSocialCreditCode.IsValid(code), UnifiedSocialCreditCode.Validate(code).Error);
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("990000")]
    [InlineData("11A000")]
    public void A_division_code_that_is_no_province_or_not_digits_is_invalid(string division)
    {
        var code = WithValidChecks("91" + division, "60003734");

        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.False(result.IsValid);
        Assert.Contains("division code", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embedded_organisation_code_with_a_wrong_check_character_is_invalid_even_when_the_outer_check_is_right()
    {
        // 600037341 is right; 600037342 is not, and the outer check character is recomputed so only the inner one is off.
        var body = "91110000600037342";
        var code = body + IndependentCheck.CreditCheckCharacter(body);

        var result = UnifiedSocialCreditCode.Validate(code);

        Assert.False(result.IsValid);
        Assert.Contains("600037342", result.Error, StringComparison.Ordinal);
        Assert.Contains("GB 11714 gives '1'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_builds_the_published_code_from_its_parts()
    {
        Assert.Equal("91110000600037341L", UnifiedSocialCreditCode.Create('9', '1', "110000", "60003734"));
        Assert.Equal("12440300MB2C92173E", UnifiedSocialCreditCode.Create('1', '2', "440300", "MB2C9217"));
    }

    [Fact]
    public void Created_codes_match_the_tests_own_arithmetic()
    {
        var random = new Random(91);
        for (var n = 0; n < 500; n++)
        {
            var expected = RandomNumbers.CreditCode(random);
            var created = UnifiedSocialCreditCode.Create(expected[0], expected[1], expected[2..8], expected[8..16]);
            Assert.Equal(expected, created);
        }
    }

    [Fact]
    public void Create_refuses_invalid_parts()
    {
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create('9', '9', "110000", "60003734"));
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create('9', '1', "000000", "60003734"));
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create('9', '1', "110000", "6000373"));
        Assert.Throws<ArgumentException>(() => UnifiedSocialCreditCode.Create('9', '1', "110000", "6000373I"));
    }

    [Fact]
    public void TryParse_and_Parse_agree_with_Validate()
    {
        Assert.True(UnifiedSocialCreditCode.TryParse("91110000600037341L", out var code));
        Assert.Equal(UnifiedSocialCreditCode.Parse("91110000600037341l"), code);
        Assert.False(UnifiedSocialCreditCode.TryParse("91110000600037341M", out var none));
        Assert.Null(none);
        Assert.Throws<FormatException>(() => UnifiedSocialCreditCode.Parse("91110000600037341M"));
    }

    /// <summary>An 8-character prefix and an 8-character organisation body, completed by the test's own check characters.</summary>
    private static string WithValidChecks(string prefix8, string organizationBody8)
    {
        var body = prefix8 + organizationBody8 + IndependentCheck.OrganizationCheckCharacter(organizationBody8);
        return body + IndependentCheck.CreditCheckCharacter(body);
    }
}
