namespace UnionSync.Sync.Queries;

/// <summary>What an organisation's whole subtree holds: its organisations (itself included), its members by status and their active cards.</summary>
public sealed record SubtreeCounts(
    Guid OrganizationId,
    long Organizations,
    long ActiveMembers,
    long TransferredMembers,
    long LeftMembers,
    long ActiveCards)
{
    public long TotalMembers => ActiveMembers + TransferredMembers + LeftMembers;
}
