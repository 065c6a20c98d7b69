using UnionSync.Domain.Model;
using UnionSync.Domain.Rules;

namespace UnionSync.Domain.Tests;

public sealed class ServiceCardRulesTests
{
    [Fact]
    public void A_well_formed_card_of_an_active_member_is_valid()
    {
        var result = ServiceCardRules.Validate(Rows.Card(), Rows.Member());

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Random_card_numbers_with_independently_computed_Luhn_digits_are_valid()
    {
        var random = new Random(2930000);
        for (var length = ServiceCardRules.MinCardNumberLength; length <= ServiceCardRules.MaxCardNumberLength; length++)
        {
            var card = Rows.Card() with { CardNumber = RandomNumbers.CardNumber(random, length) };
            Assert.True(ServiceCardRules.Validate(card).IsValid, ServiceCardRules.Validate(card).ToString());
        }
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("6222 0212 3456 7890", "' ' at position 5")]
    [InlineData("62220212345678X", "'X' at position 15")]
    [InlineData("4242424", "7 digits")]
    [InlineData("62220212345678901234", "20 digits")]
    [InlineData("4111111111111112", "Luhn check digit of its other digits is 1")]
    public void Card_number_is_8_to_19_digits_with_a_valid_Luhn_digit(string cardNumber, string expected)
    {
        var result = ServiceCardRules.Validate(Rows.Card() with { CardNumber = cardNumber });

        Assert.True(result.Concerns("card_number"), result.ToString());
        Assert.Contains(expected, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_number_in_a_message_is_masked()
    {
        var result = ServiceCardRules.Validate(Rows.Card() with { CardNumber = "4111111111111112" });

        Assert.DoesNotContain("4111111111111112", result.ToString(), StringComparison.Ordinal);
        Assert.Contains("************1112", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Expiry_date_must_be_after_issue_date()
    {
        var card = Rows.Card();

        Assert.True(ServiceCardRules.Validate(card with { ExpiryDate = card.IssueDate }).Concerns("expiry_date"));
        Assert.True(ServiceCardRules.Validate(card with { ExpiryDate = card.IssueDate.AddDays(-1) }).Concerns("expiry_date"));
        Assert.True(ServiceCardRules.Validate(card with { ExpiryDate = card.IssueDate.AddDays(1) }).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Bank_is_named(string bank)
    {
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { Bank = bank }).Concerns("bank"));
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { Bank = new string('行', ServiceCardRules.MaxBankLength + 1) }).Concerns("bank"));
    }

    [Theory]
    [InlineData(CardStatus.Active)]
    [InlineData(CardStatus.Lost)]
    [InlineData(CardStatus.Cancelled)]
    public void An_active_member_may_hold_a_card_in_any_status(CardStatus status)
    {
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { Status = status }, Rows.Member()).IsValid);
    }

    [Fact]
    public void A_member_who_has_left_holds_no_active_card()
    {
        var left = Rows.Member() with { Status = MemberStatus.Left };

        var result = ServiceCardRules.Validate(Rows.Card(), left);

        Assert.True(result.Concerns("status"), result.ToString());
    }

    [Theory]
    [InlineData(CardStatus.Lost)]
    [InlineData(CardStatus.Cancelled)]
    public void A_member_who_has_left_may_keep_a_lost_or_cancelled_card(CardStatus status)
    {
        var left = Rows.Member() with { Status = MemberStatus.Left };

        Assert.True(ServiceCardRules.Validate(Rows.Card() with { Status = status }, left).IsValid);
    }

    [Fact]
    public void A_card_of_a_transferred_member_may_stay_active()
    {
        var transferred = Rows.Member() with { Status = MemberStatus.Transferred };

        Assert.True(ServiceCardRules.Validate(Rows.Card(), transferred).IsValid);
        Assert.True(ServiceCardRules.ValidateCardsOf(transferred, [Rows.Card()]).IsValid);
    }

    [Fact]
    public void The_cards_of_a_member_who_left_are_checked_together()
    {
        var left = Rows.Member() with { Status = MemberStatus.Left };
        var cancelled = Rows.Card() with { Status = CardStatus.Cancelled };
        var active = Rows.Card() with { Id = Rows.Id(21), CardNumber = "4111111111111111" };

        var result = ServiceCardRules.ValidateCardsOf(left, [cancelled, active]);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("status", violation.Field);
        Assert.Contains(Rows.Id(21).ToString(), violation.Message, StringComparison.Ordinal);
        Assert.True(ServiceCardRules.ValidateCardsOf(left, [cancelled]).IsValid);
        Assert.True(ServiceCardRules.ValidateCardsOf(left, []).IsValid);
    }

    [Fact]
    public void A_card_of_another_member_is_a_violation()
    {
        var stranger = Rows.Card() with { MemberId = Rows.Id(11) };

        Assert.True(ServiceCardRules.Validate(stranger, Rows.Member()).Concerns("member_id"));
        Assert.True(ServiceCardRules.ValidateCardsOf(Rows.Member(), [Rows.Card(), stranger]).Concerns("member_id"));
    }

    [Fact]
    public void The_same_card_number_twice_among_a_members_cards_is_a_violation()
    {
        var second = Rows.Card() with { Id = Rows.Id(22), Status = CardStatus.Lost };

        var result = ServiceCardRules.ValidateCardsOf(Rows.Member(), [Rows.Card(), second]);

        Assert.True(result.Concerns("card_number"));
        Assert.DoesNotContain(Rows.CardNumber, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_status_and_empty_ids_are_violations()
    {
        var result = ServiceCardRules.Validate(Rows.Card() with { Status = (CardStatus)5, Id = Guid.Empty, MemberId = Guid.Empty });

        Assert.True(result.Concerns("status"));
        Assert.True(result.Concerns("id"));
        Assert.True(result.Concerns("member_id"));
    }
}
