using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class ChineseIdNumberValidationTests
{
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("440524188001010014")]
    public void The_standards_published_examples_are_valid(string number)
    {
        var result = ChineseIdNumber.Validate(number);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(number, result.Value.Value);
    }

    [Fact]
    public void Check_character_X_is_accepted_in_upper_and_lower_case()
    {
        var upper = ChineseIdNumber.Validate("11010519491231002X");
        var lower = ChineseIdNumber.Validate("11010519491231002x");

        Assert.True(upper.IsValid);
        Assert.True(lower.IsValid);
        Assert.Equal("11010519491231002X", lower.Value.Value);
        Assert.Equal(upper.Value, lower.Value);
    }

    [Fact]
    public void Random_numbers_with_independently_computed_check_characters_are_valid()
    {
        var random = new Random(1999);
        for (var n = 0; n < 1_000; n++)
        {
            var number = RandomNumbers.IdNumber(random);
            var result = ChineseIdNumber.Validate(number);
            Assert.True(result.IsValid, result.Error);
        }
    }

    [Fact]
    public void Every_single_digit_mutation_of_a_valid_number_is_invalid()
    {
        var random = new Random(20240601);
        for (var n = 0; n < 40; n++)
        {
            var number = RandomNumbers.IdNumber(random);
            foreach (var (position, mutant) in RandomNumbers.SingleSubstitutions(number, "0123456789X", 18))
            {
                if (position < 18 && mutant[position - 1] == 'X')
                {
                    continue;
                }

                Assert.False(ChineseIdNumber.IsValid(mutant), $"a change at position {position} went unnoticed");
            }
        }
    }

    [Fact]
    public void A_wrong_check_character_is_reported_with_expected_and_found_and_the_number_masked()
    {
        var result = ChineseIdNumber.Validate("110105194912310021");

        Assert.False(result.IsValid);
        Assert.Contains("'1'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'X'", result.Error, StringComparison.Ordinal);
        Assert.Contains("110105********0021", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("110105194912310021", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("19990229")]
    [InlineData("19990230")]
    [InlineData("20000230")]
    [InlineData("19491301")]
    [InlineData("19490001")]
    [InlineData("19491200")]
    [InlineData("19490431")]
    [InlineData("17991231")]
    public void A_birth_date_that_is_no_calendar_date_is_invalid_even_with_a_correct_check_character(string yyyyMMdd)
    {
        var body = "110105" + yyyyMMdd + "002";
        var number = body + IndependentCheck.IdCheckCharacter(body);

        var result = ChineseIdNumber.Validate(number);

        Assert.False(result.IsValid);
        Assert.Contains("birth date", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(yyyyMMdd, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_29th_of_February_of_a_leap_year_is_a_birth_date()
    {
        var body = "11010520000229002";
        var result = ChineseIdNumber.Validate(body + IndependentCheck.IdCheckCharacter(body));

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(new DateOnly(2000, 2, 29), result.Value.BirthDate);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    [InlineData("11010519491231002", "17 characters")]
    [InlineData("11010519491231002X1", "19 characters")]
    [InlineData(" 11010519491231002X", "19 characters")]
    public void A_number_of_the_wrong_length_says_how_long_it_is(string? number, string expected)
    {
        var result = ChineseIdNumber.Validate(number);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_15_digit_number_is_told_to_be_upgraded()
    {
        var result = ChineseIdNumber.Validate("110105491231002");

        Assert.False(result.IsValid);
        Assert.Contains("UpgradeLegacy", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1101051949A231002X", 11, 'A')]
    [InlineData("O1010519491231002X", 1, 'O')]
    [InlineData("11010519491231002 ", 18, ' ')]
    [InlineData("1101051949123100XX", 17, 'X')]
    public void A_character_that_is_no_digit_is_reported_with_its_position(string number, int position, char found)
    {
        var result = ChineseIdNumber.Validate(number);

        Assert.False(result.IsValid);
        Assert.Contains($"'{found}'", result.Error, StringComparison.Ordinal);
        if (position < 18)
        {
            Assert.Contains($"position {position}", result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("position 18", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("990101")]
    [InlineData("191234")]
    public void A_region_code_of_no_province_is_invalid(string region)
    {
        var body = region + "19491231002";
        var result = ChineseIdNumber.Validate(body + IndependentCheck.IdCheckCharacter(body));

        Assert.False(result.IsValid);
        Assert.Contains("province", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("810000")]
    [InlineData("830000")]
    [InlineData("911156")]
    public void Residence_permit_and_foreigner_permanent_residence_regions_are_accepted(string region)
    {
        var body = region + "19800101002";
        Assert.True(ChineseIdNumber.IsValid(body + IndependentCheck.IdCheckCharacter(body)));
    }

    [Fact]
    public void A_birth_date_after_today_is_invalid_only_when_today_is_given()
    {
        var body = "11010520250602002";
        var number = body + IndependentCheck.IdCheckCharacter(body);

        Assert.True(ChineseIdNumber.Validate(number).IsValid);
        var result = ChineseIdNumber.Validate(number, new DateOnly(2025, 6, 1));
        Assert.False(result.IsValid);
        Assert.Contains("after today", result.Error, StringComparison.Ordinal);
        Assert.True(ChineseIdNumber.Validate(number, new DateOnly(2025, 6, 2)).IsValid);
    }

    [Fact]
    public void Parse_throws_a_format_exception_that_says_what_is_wrong()
    {
        var exception = Assert.Throws<FormatException>(() => ChineseIdNumber.Parse("110105194912310021"));

        Assert.Contains("check character", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("110105194912310021", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_gives_the_number_or_null()
    {
        Assert.True(ChineseIdNumber.TryParse("11010519491231002x", out var number));
        Assert.Equal("11010519491231002X", number.Value);
        Assert.False(ChineseIdNumber.TryParse("110105194912310020", out var none));
        Assert.Null(none);
    }
}
