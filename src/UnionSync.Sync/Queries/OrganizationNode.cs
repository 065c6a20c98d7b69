namespace UnionSync.Sync.Queries;

/// <summary>A row of <c>organizations</c> as the read model returns it; <paramref name="Depth"/> is its distance from the queried root.</summary>
public sealed record OrganizationNode(
    Guid Id,
    Guid? ParentId,
    int Level,
    string Name,
    string? CreditCode,
    string DistrictCode,
    string Status,
    int Depth);
