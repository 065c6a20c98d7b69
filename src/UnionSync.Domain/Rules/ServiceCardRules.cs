using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;

namespace UnionSync.Domain.Rules;

/// <summary>The rules of a <c>service_cards</c> row (DESIGN §3) and of the cards one member holds.</summary>
public static class ServiceCardRules
{
    /// <summary>ISO/IEC 7812 card numbers have 8 to 19 digits; UnionPay service cards have 16 to 19.</summary>
    public const int MinCardNumberLength = 8;

    public const int MaxCardNumberLength = 19;

    public const int MaxBankLength = 100;

    private const string Table = "service_cards";

    /// <summary>
    /// The rules one row can check alone: ids, a <c>card_number</c> of 8-19 digits with a valid Luhn check digit, a
    /// non-empty <c>bank</c>, <c>expiry_date</c> after <c>issue_date</c>, a defined status and UTC timestamps.
    /// </summary>
    public static ValidationResult Validate(ServiceCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var violations = new ViolationCollector();
        Check(violations, card);
        return violations.ToResult();
    }

    /// <summary>As <see cref="Validate(ServiceCard)"/>, and the card belongs to <paramref name="holder"/> under
    /// <see cref="ValidateCardsOf"/>'s rules.</summary>
    public static ValidationResult Validate(ServiceCard card, Member holder)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(holder);
        var violations = new ViolationCollector();
        Check(violations, card);
        CheckHeldBy(violations, card, holder);
        return violations.ToResult();
    }

    /// <summary>
    /// The rules between a member and all their cards: each card's <c>member_id</c> is the member's id, no card number
    /// appears twice, and a member who has left holds no active card. A member who transferred keeps theirs: the card
    /// goes with the person, not the union. Each card's own rules are <see cref="Validate(ServiceCard)"/>'s.
    /// </summary>
    public static ValidationResult ValidateCardsOf(Member member, IEnumerable<ServiceCard> cards)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(cards);
        var violations = new ViolationCollector();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in cards)
        {
            CheckHeldBy(violations, card, member);
            if (!seen.Add(card.CardNumber))
            {
                violations.Add("card_number", $"{Table}.card_number {Redact.CardNumber(card.CardNumber)} appears on more than one card of member {member.Id}; card numbers are unique.");
            }
        }

        return violations.ToResult();
    }

    private static void CheckHeldBy(ViolationCollector violations, ServiceCard card, Member holder)
    {
        if (card.MemberId != holder.Id)
        {
            violations.Add("member_id", $"{Table}.member_id of card {card.Id} is {card.MemberId}, not member {holder.Id}.");
        }
        else if (holder.Status == MemberStatus.Left && card.Status == CardStatus.Active)
        {
            violations.Add("status", $"Card {card.Id} is active, but member {holder.Id} has left; a member who left holds no active card: cancel it.");
        }
    }

    private static void Check(ViolationCollector violations, ServiceCard card)
    {
        RowChecks.Id(violations, Table, "id", card.Id);
        RowChecks.Id(violations, Table, "member_id", card.MemberId);
        CheckCardNumber(violations, card.CardNumber);
        if (string.IsNullOrWhiteSpace(card.Bank))
        {
            violations.Add("bank", $"{Table}.bank is empty; name the issuing bank.");
        }
        else if (card.Bank.Length > MaxBankLength)
        {
            violations.Add("bank", $"{Table}.bank has {card.Bank.Length} characters; at most {MaxBankLength} are allowed.");
        }

        if (card.ExpiryDate <= card.IssueDate)
        {
            violations.Add("expiry_date", $"{Table}.expiry_date {card.ExpiryDate:yyyy-MM-dd} of card {card.Id} is not after its issue_date {card.IssueDate:yyyy-MM-dd}.");
        }

        RowChecks.Status(violations, Table, card.Status);
        RowChecks.Timestamps(violations, Table, card.CreatedAt, card.UpdatedAt);
    }

    private static void CheckCardNumber(ViolationCollector violations, string? cardNumber)
    {
        if (string.IsNullOrEmpty(cardNumber))
        {
            violations.Add("card_number", $"{Table}.card_number is empty.");
            return;
        }

        var masked = Redact.CardNumber(cardNumber);
        var nonDigit = cardNumber.AsSpan().IndexOfAnyExceptInRange('0', '9');
        if (nonDigit >= 0)
        {
            violations.Add("card_number", $"{Table}.card_number {masked} has '{cardNumber[nonDigit]}' at position {nonDigit + 1}; card numbers are digits only.");
        }
        else if (cardNumber.Length is < MinCardNumberLength or > MaxCardNumberLength)
        {
            violations.Add("card_number", $"{Table}.card_number {masked} has {cardNumber.Length} digits; card numbers have {MinCardNumberLength} to {MaxCardNumberLength}.");
        }
        else if (!Luhn.IsValid(cardNumber))
        {
            var expected = Luhn.ComputeCheckDigit(cardNumber.AsSpan(0, cardNumber.Length - 1));
            violations.Add("card_number", $"{Table}.card_number {masked} ends in check digit {cardNumber[^1]}, but the Luhn check digit of its other digits is {expected}.");
        }
    }
}
