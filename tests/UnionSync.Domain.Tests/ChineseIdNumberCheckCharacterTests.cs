using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class ChineseIdNumberCheckCharacterTests
{
    [Fact]
    public void The_standards_own_example_has_check_character_X()
    {
        Assert.Equal('X', ChineseIdNumber.ComputeCheckCharacter("11010519491231002"));
    }

    [Fact]
    public void The_standards_second_example_born_1880_has_check_character_4()
    {
        Assert.Equal('4', ChineseIdNumber.ComputeCheckCharacter("44052418800101001"));
    }

    [Fact]
    public void Check_characters_of_random_bodies_agree_with_the_tests_own_arithmetic()
    {
        var random = new Random(11643);
        var seen = new HashSet<char>();
        for (var n = 0; n < 2_000; n++)
        {
            var body = RandomNumbers.IdNumber(random)[..17];
            var expected = IndependentCheck.IdCheckCharacter(body);
            Assert.Equal(expected, ChineseIdNumber.ComputeCheckCharacter(body));
            seen.Add(expected);
        }

        // Every one of the 11 check characters, X included, came up.
        Assert.Equal(11, seen.Count);
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    [InlineData("1101051949123100A")]
    public void A_body_that_is_not_17_digits_is_refused(string body)
    {
        Assert.Throws<ArgumentException>(() => ChineseIdNumber.ComputeCheckCharacter(body));
    }
}
