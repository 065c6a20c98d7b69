using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class OrganizationCodeTests
{
    [Theory]
    [InlineData("600037341")]
    [InlineData("55323005X")]
    [InlineData("MB2C92173")]
    public void Organisation_codes_inside_published_credit_codes_are_valid(string code)
    {
        Assert.True(OrganizationCode.IsValid(code));
        Assert.Equal(code[8], OrganizationCode.ComputeCheckCharacter(code.AsSpan(0, 8)));
    }

    [Fact]
    public void Check_characters_agree_with_the_tests_own_arithmetic_including_X_and_0()
    {
        var random = new Random(11714);
        const string symbols = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var seen = new HashSet<char>();
        for (var n = 0; n < 3_000; n++)
        {
            var body = new string(Enumerable.Range(0, 8).Select(_ => symbols[random.Next(symbols.Length)]).ToArray());
            var expected = IndependentCheck.OrganizationCheckCharacter(body);
            Assert.Equal(expected, OrganizationCode.ComputeCheckCharacter(body));
            Assert.True(OrganizationCode.IsValid(body + expected));
            seen.Add(expected);
        }

        Assert.Contains('X', seen);
        Assert.Contains('0', seen);
        Assert.Equal(11, seen.Count);
    }

    [Theory]
    [InlineData("600037342")]
    [InlineData("60003734")]
    [InlineData("6000373410")]
    [InlineData("60003734-")]
    [InlineData("a00037341")]
    public void Wrong_check_characters_and_malformed_codes_are_invalid(string code)
    {
        Assert.False(OrganizationCode.IsValid(code));
    }

    [Fact]
    public void A_body_with_a_symbol_that_is_no_digit_or_capital_letter_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OrganizationCode.ComputeCheckCharacter("6000373-"));
        Assert.Throws<ArgumentException>(() => OrganizationCode.ComputeCheckCharacter("6000373"));
    }
}
