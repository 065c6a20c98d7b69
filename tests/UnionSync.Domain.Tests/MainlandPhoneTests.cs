using UnionSync.Domain.Contact;

namespace UnionSync.Domain.Tests;

public sealed class MainlandPhoneTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("+8613812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("0086-138-1234-5678")]
    [InlineData("8613812345678")]
    [InlineData("138-1234-5678")]
    [InlineData(" 138 1234 5678 ")]
    [InlineData("(+86) 13812345678")]
    public void Mobile_numbers_normalise_to_11_digits(string text)
    {
        var result = MainlandPhone.Validate(text);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal("13812345678", result.Value.Value);
        Assert.Equal(PhoneKind.Mobile, result.Value.Kind);
        Assert.Null(result.Value.AreaCode);
    }

    [Theory]
    [InlineData("13012345678")]
    [InlineData("14512345678")]
    [InlineData("16612345678")]
    [InlineData("17712345678")]
    [InlineData("19912345678")]
    public void Every_mobile_prefix_from_13_to_19_is_accepted(string text)
    {
        Assert.True(MainlandPhone.IsNormalized(text));
    }

    [Theory]
    [InlineData("010-62345678", "010-62345678", "010")]
    [InlineData("01062345678", "010-62345678", "010")]
    [InlineData("(010) 6234 5678", "010-62345678", "010")]
    [InlineData("+86 10 6234 5678", "010-62345678", "010")]
    [InlineData("0086 (0)10 62345678", "010-62345678", "010")]
    [InlineData("020-83456789", "020-83456789", "020")]
    [InlineData("0571-87654321", "0571-87654321", "0571")]
    [InlineData("0571 8765432", "0571-8765432", "0571")]
    [InlineData("09912345678", "0991-2345678", "0991")]
    public void Fixed_line_numbers_normalise_to_area_code_hyphen_local_number(string text, string expected, string areaCode)
    {
        var result = MainlandPhone.Validate(text);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value.Value);
        Assert.Equal(PhoneKind.FixedLine, result.Value.Kind);
        Assert.Equal(areaCode, result.Value.AreaCode);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("1381234567", "10 digits; a mobile number has 11")]
    [InlineData("138123456789", "12 digits; a mobile number has 11")]
    [InlineData("12812345678", "start with 13 to 19")]
    [InlineData("11812345678", "start with 13 to 19")]
    [InlineData("138.1234.5678", "'.' at position 4")]
    [InlineData("138１２345678", "at position 4")]
    [InlineData("+1 415 555 0100", "country code")]
    [InlineData("001 415 555 0100", "country code")]
    [InlineData("138+12345678", "'+' at position 4")]
    [InlineData("62345678", "neither a mobile")]
    [InlineData("010-623456", "6 digits after its area code")]
    [InlineData("010-623456789", "9 digits after its area code")]
    [InlineData("010-12345678", "local number starting with 1")]
    [InlineData("0571-02345678", "local number starting with 0")]
    [InlineData("011-62345678", "no mainland area code")]
    [InlineData("+86", "no digits")]
    public void Invalid_numbers_say_what_is_wrong(string? text, string expected)
    {
        var result = MainlandPhone.Validate(text);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_messages_mask_the_number()
    {
        var result = MainlandPhone.Validate("12812345678");

        Assert.False(result.IsValid);
        Assert.DoesNotContain("12812345678", result.Error, StringComparison.Ordinal);
        Assert.Contains("*******5678", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_stored_form_counts_as_normalised()
    {
        Assert.True(MainlandPhone.IsNormalized("13812345678"));
        Assert.True(MainlandPhone.IsNormalized("0571-87654321"));
        Assert.False(MainlandPhone.IsNormalized("+8613812345678"));
        Assert.False(MainlandPhone.IsNormalized("057187654321"));
        Assert.False(MainlandPhone.IsNormalized("12812345678"));
    }

    [Fact]
    public void Normalize_returns_the_stored_form_or_throws()
    {
        Assert.Equal("13812345678", MainlandPhone.Normalize("+86 138-1234-5678"));
        Assert.Throws<FormatException>(() => MainlandPhone.Normalize("12812345678"));
        Assert.True(MainlandPhone.TryParse("0086 13812345678", out var number));
        Assert.Equal("*******5678", number.ToString());
    }
}
