using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class ChineseIdNumberLegacyTests
{
    [Fact]
    public void The_15_digit_form_of_the_standards_example_upgrades_to_it()
    {
        Assert.Equal("11010519491231002X", ChineseIdNumber.UpgradeLegacy("110105491231002"));
    }

    [Fact]
    public void Upgrading_inserts_19_before_the_year_and_appends_an_independently_computed_check_character()
    {
        var random = new Random(15);
        for (var n = 0; n < 500; n++)
        {
            var eighteen = RandomNumbers.IdNumber(random);
            if (!eighteen.AsSpan(6, 2).SequenceEqual("19"))
            {
                continue;
            }

            var fifteen = string.Concat(eighteen.AsSpan(0, 6), eighteen.AsSpan(8, 9));
            Assert.Equal(eighteen, ChineseIdNumber.UpgradeLegacy(fifteen));
        }
    }

    [Fact]
    public void An_upgraded_number_is_valid_and_keeps_birth_date_and_sex()
    {
        var upgraded = ChineseIdNumber.Parse(ChineseIdNumber.UpgradeLegacy("440524800101001"));

        Assert.Equal("44052419800101001", upgraded.Value[..17]);
        Assert.Equal(new DateOnly(1980, 1, 1), upgraded.BirthDate);
        Assert.Equal(Sex.Male, upgraded.Sex);
    }

    [Theory]
    [InlineData("11010549123100", "14 characters")]
    [InlineData("11010519491231002X", "18 characters")]
    [InlineData("1101054912310A2", "position 14")]
    [InlineData("110105990229002", "birth date")]
    [InlineData("110105491331002", "birth date")]
    [InlineData("000000491231002", "province")]
    public void An_implausible_15_digit_number_is_not_upgraded(string fifteen, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => ChineseIdNumber.UpgradeLegacy(fifteen));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.False(ChineseIdNumber.TryUpgradeLegacy(fifteen, out var upgraded));
        Assert.Null(upgraded);
    }

    [Fact]
    public void TryUpgradeLegacy_gives_the_18_character_number()
    {
        Assert.True(ChineseIdNumber.TryUpgradeLegacy("110105491231002", out var upgraded));
        Assert.Equal("11010519491231002X", upgraded);
        Assert.False(ChineseIdNumber.TryUpgradeLegacy(null, out _));
    }
}
