using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class IdentityNumberTests
{
    [Fact]
    public void The_standards_example_is_a_woman_born_on_31_December_1949_in_Chaoyang()
    {
        var number = ChineseIdNumber.Parse("11010519491231002X");

        Assert.Equal("110105", number.RegionCode);
        Assert.Equal(new DateOnly(1949, 12, 31), number.BirthDate);
        Assert.Equal(2, number.SequenceCode);
        Assert.Equal(Sex.Female, number.Sex);
        Assert.Equal('X', number.CheckCharacter);
    }

    [Fact]
    public void The_standards_second_example_is_a_man_born_on_1_January_1880()
    {
        var number = ChineseIdNumber.Parse("440524188001010014");

        Assert.Equal("440524", number.RegionCode);
        Assert.Equal(new DateOnly(1880, 1, 1), number.BirthDate);
        Assert.Equal(1, number.SequenceCode);
        Assert.Equal(Sex.Male, number.Sex);
    }

    [Theory]
    [InlineData(0, Sex.Female)]
    [InlineData(1, Sex.Male)]
    [InlineData(998, Sex.Female)]
    [InlineData(999, Sex.Male)]
    public void Sex_follows_the_parity_of_the_sequence_code(int sequence, Sex expected)
    {
        var body = $"31010419850615{sequence:D3}";
        var number = ChineseIdNumber.Parse(body + IndependentCheck.IdCheckCharacter(body));

        Assert.Equal(expected, number.Sex);
        Assert.Equal(sequence, number.SequenceCode);
    }

    [Theory]
    [InlineData("2025-12-30", 75)]
    [InlineData("2025-12-31", 76)]
    [InlineData("2026-01-01", 76)]
    [InlineData("1949-12-31", 0)]
    public void Age_counts_completed_years_on_the_given_day(string today, int expected)
    {
        var number = ChineseIdNumber.Parse("11010519491231002X");

        Assert.Equal(expected, number.AgeOn(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Age_before_birth_is_refused()
    {
        var number = ChineseIdNumber.Parse("11010519491231002X");

        Assert.Throws<ArgumentOutOfRangeException>(() => number.AgeOn(new DateOnly(1949, 12, 30)));
    }

    [Fact]
    public void A_leap_day_child_turns_a_year_older_on_28_February_in_common_years()
    {
        var body = "11010520000229002";
        var number = ChineseIdNumber.Parse(body + IndependentCheck.IdCheckCharacter(body));

        Assert.Equal(new DateOnly(2016, 2, 29), number.BirthdayAt(16));
        Assert.Equal(new DateOnly(2017, 2, 28), number.BirthdayAt(17));
        Assert.Equal(16, number.AgeOn(new DateOnly(2017, 2, 27)));
        Assert.Equal(17, number.AgeOn(new DateOnly(2017, 2, 28)));
    }

    [Fact]
    public void ToString_is_masked()
    {
        var number = ChineseIdNumber.Parse("11010519491231002X");

        Assert.Equal("110105********002X", number.ToString());
        Assert.Equal("110105********002X", $"{number}");
    }

    [Fact]
    public void Numbers_are_equal_by_value()
    {
        Assert.Equal(ChineseIdNumber.Parse("11010519491231002X"), ChineseIdNumber.Parse("11010519491231002x"));
        Assert.NotEqual(ChineseIdNumber.Parse("11010519491231002X"), ChineseIdNumber.Parse("440524188001010014"));
        Assert.Equal(
            ChineseIdNumber.Parse("11010519491231002X").GetHashCode(),
            ChineseIdNumber.Parse("11010519491231002x").GetHashCode());
    }
}
