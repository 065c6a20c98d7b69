namespace UnionSync.Domain.Model;

/// <summary>A row of <c>organizations</c> (DESIGN §3). Timestamps are UTC.</summary>
public sealed record Organization(
    Guid Id,
    Guid? ParentId,
    OrganizationLevel Level,
    string Name,
    string? CreditCode,
    string DistrictCode,
    OrganizationStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt);
