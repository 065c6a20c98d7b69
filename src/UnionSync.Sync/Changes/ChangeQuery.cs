using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Changes;

/// <summary>
/// Changes of <paramref name="Table"/> since the watermark <paramref name="Since"/> (0 = all), restricted to the subtree of
/// <paramref name="ScopeRoot"/> (null = the whole database), leaving out those that arrived from <paramref name="ExcludedPeer"/>.
/// Tombstones are included when their scope organisation is in the scope or no longer exists.
/// </summary>
public sealed record ChangeQuery(TableDescription Table, long Since, Guid? ScopeRoot, Guid? ExcludedPeer)
{
    /// <summary>
    /// Only the tombstones (<see cref="ChangeKind.Delete"/>), filtered where they are read: a download sends the deletes in
    /// a second pass, children first, and would otherwise read every upsert again to drop it.
    /// </summary>
    public bool TombstonesOnly { get; init; }
}
