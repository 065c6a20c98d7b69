using UnionSync.Domain.Model;

namespace UnionSync.Domain.Tests;

public sealed class StatusTextTests
{
    [Fact]
    public void Every_status_round_trips_through_its_lowercase_word()
    {
        foreach (var status in Enum.GetValues<OrganizationStatus>())
        {
            Assert.True(StatusText.TryParse(StatusText.ToText(status), out OrganizationStatus parsed));
            Assert.Equal(status, parsed);
        }

        foreach (var status in Enum.GetValues<MemberStatus>())
        {
            Assert.True(StatusText.TryParse(StatusText.ToText(status), out MemberStatus parsed));
            Assert.Equal(status, parsed);
        }

        foreach (var status in Enum.GetValues<CardStatus>())
        {
            Assert.True(StatusText.TryParse(StatusText.ToText(status), out CardStatus parsed));
            Assert.Equal(status, parsed);
        }
    }

    [Theory]
    [InlineData("active", MemberStatus.Active)]
    [InlineData("transferred", MemberStatus.Transferred)]
    [InlineData("left", MemberStatus.Left)]
    public void Member_statuses_are_the_words_of_the_design(string text, MemberStatus expected)
    {
        Assert.True(StatusText.TryParse(text, out MemberStatus parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("Active")]
    [InlineData("ACTIVE")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_spellings_are_not_statuses(string? text)
    {
        Assert.False(StatusText.TryParse(text, out CardStatus _));
    }
}
