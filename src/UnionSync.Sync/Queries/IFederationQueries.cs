namespace UnionSync.Sync.Queries;

/// <summary>
/// The read model of the federation (DESIGN §3 tables): the organisation tree, member lookups and subtree counts.
/// Read-only; every lookup goes through an index (organisations by id and parent, members by organisation,
/// name and identity number, cards by member).
/// </summary>
public interface IFederationQueries
{
    /// <summary>Whether the database holds any organisation; a trivial query, fit for a health check.</summary>
    Task<bool> HasOrganizationsAsync(CancellationToken cancellationToken = default);

    /// <summary>The organisations with no parent (the city federation), by name.</summary>
    Task<IReadOnlyList<OrganizationNode>> GetRootsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The organisation and its descendants down to <paramref name="maxDepth"/> levels below it (null: the whole subtree,
    /// at most <see cref="FederationQueries.MaxTreeDepth"/>), ordered by depth, then name. Empty when the organisation does not exist.
    /// </summary>
    Task<IReadOnlyList<OrganizationNode>> GetSubtreeAsync(Guid organizationId, int? maxDepth, CancellationToken cancellationToken = default);

    /// <summary>Members whose name is exactly <paramref name="name"/>, at most <paramref name="limit"/> of them, ordered by id.</summary>
    Task<IReadOnlyList<MemberRecord>> FindMembersByNameAsync(string name, int limit, CancellationToken cancellationToken = default);

    /// <summary>The member with this identity number, or null.</summary>
    Task<MemberRecord?> FindMemberByIdNumberAsync(string idNumber, CancellationToken cancellationToken = default);

    /// <summary>Members by status and active service cards in the whole subtree of the organisation; null when it does not exist.</summary>
    Task<SubtreeCounts?> GetCountsAsync(Guid organizationId, CancellationToken cancellationToken = default);
}
