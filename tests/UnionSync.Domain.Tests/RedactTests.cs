namespace UnionSync.Domain.Tests;

public sealed class RedactTests
{
    [Theory]
    [InlineData("11010519491231002X", "110105********002X")]
    [InlineData("110105491231002", "110105*****1002")]
    [InlineData("1234567890", "**********")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Identity_numbers_keep_region_and_last_four(string? idNumber, string expected)
    {
        Assert.Equal(expected, Redact.IdNumber(idNumber));
    }

    [Fact]
    public void A_masked_identity_number_hides_the_birth_date()
    {
        Assert.DoesNotContain("19491231", Redact.IdNumber("11010519491231002X"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("13812345678", "*******5678")]
    [InlineData("010-62345678", "********5678")]
    [InlineData("123", "***")]
    [InlineData(null, "")]
    public void Phone_numbers_keep_the_last_four(string? phone, string expected)
    {
        Assert.Equal(expected, Redact.Phone(phone));
    }

    [Theory]
    [InlineData("6222021234567890", "************7890")]
    [InlineData("1234", "****")]
    [InlineData("", "")]
    public void Card_numbers_keep_the_last_four(string? cardNumber, string expected)
    {
        Assert.Equal(expected, Redact.CardNumber(cardNumber));
    }
}
