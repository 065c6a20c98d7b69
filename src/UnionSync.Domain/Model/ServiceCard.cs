namespace UnionSync.Domain.Model;

/// <summary>A row of <c>service_cards</c> (DESIGN §3).</summary>
public sealed record ServiceCard(
    Guid Id,
    Guid MemberId,
    string CardNumber,
    string Bank,
    DateOnly IssueDate,
    DateOnly ExpiryDate,
    CardStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt);
