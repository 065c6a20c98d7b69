using UnionSync.Domain.Identity;

namespace UnionSync.Domain.Tests;

public sealed class LuhnTests
{
    /// <summary>Wikipedia's worked example and the well-known Visa and American Express test numbers.</summary>
    [Theory]
    [InlineData("79927398713")]
    [InlineData("4111111111111111")]
    [InlineData("378282246310005")]
    public void Published_numbers_are_valid(string number)
    {
        Assert.True(Luhn.IsValid(number));
        Assert.Equal(number[^1], Luhn.ComputeCheckDigit(number.AsSpan(0, number.Length - 1)));
    }

    [Fact]
    public void Check_digits_agree_with_the_tests_own_trial_computation()
    {
        var random = new Random(7812);
        for (var n = 0; n < 2_000; n++)
        {
            var payload = new string(Enumerable.Range(0, random.Next(1, 19)).Select(_ => (char)('0' + random.Next(10))).ToArray());
            var expected = IndependentCheck.LuhnCheckDigit(payload);
            Assert.Equal(expected, Luhn.ComputeCheckDigit(payload));
            Assert.True(Luhn.IsValid(payload + expected));
        }
    }

    [Fact]
    public void Every_single_digit_mutation_of_a_valid_card_number_is_invalid()
    {
        var random = new Random(62);
        for (var n = 0; n < 50; n++)
        {
            var number = RandomNumbers.CardNumber(random, 19);
            foreach (var (position, mutant) in RandomNumbers.SingleSubstitutions(number, "0123456789", number.Length))
            {
                Assert.False(Luhn.IsValid(mutant), $"a change at position {position} went unnoticed");
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("7992739871A")]
    [InlineData("79927398710")]
    public void Short_non_digit_and_wrong_numbers_are_invalid(string number)
    {
        Assert.False(Luhn.IsValid(number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12a")]
    public void A_payload_that_is_empty_or_not_digits_is_refused(string payload)
    {
        Assert.Throws<ArgumentException>(() => Luhn.ComputeCheckDigit(payload));
    }
}
