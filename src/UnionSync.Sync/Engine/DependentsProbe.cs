using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Finds the child's deletes that the parent cannot apply because the parent holds dependents the child did not know
/// of (a card issued at the parent for a member the child deleted; a member or organisation added under an
/// organisation the child deleted). Such a delete is a conflict the parent wins: the row stays and is re-sent.
/// Reads a snapshot of the parent's committed state, which the batch's own deletes are subtracted from.
/// </summary>
internal static class DependentsProbe
{
    public static async Task<HashSet<(string Table, Guid Key)>> FindBlockedAsync(ISyncProvider parent, IReadOnlyList<RowChange> accepted, CancellationToken cancellationToken)
    {
        var blocked = new HashSet<(string, Guid)>();
        var members = accepted.Where(c => c.Kind == ChangeKind.Delete && Rows.IsMembers(c.Table)).Select(c => c.Key).ToList();
        var organizations = accepted.Where(c => c.Kind == ChangeKind.Delete && Rows.IsOrganizations(c.Table)).Select(c => c.Key).ToList();
        if (members.Count == 0 && organizations.Count == 0)
        {
            return blocked;
        }

        var deleted = accepted.Where(c => c.Kind == ChangeKind.Delete).Select(c => (c.Table.Name, c.Key)).ToHashSet();
        await using var snapshot = await parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (members.Count > 0)
        {
            await foreach (var card in snapshot.ReadRowsAsync(SyncTables.ServiceCards, RowSelection.OfMembers(members), cancellationToken).ConfigureAwait(false))
            {
                if (!deleted.Contains((SyncTables.ServiceCards.Name, card.Key)) && Rows.Member(card.Values) is { } member)
                {
                    blocked.Add((SyncTables.Members.Name, member));
                }
            }
        }

        foreach (var organization in organizations)
        {
            var subtree = await snapshot.ReadSubtreeAsync(organization, cancellationToken).ConfigureAwait(false);
            var unknown = subtree.Any(o => o != organization && !deleted.Contains((SyncTables.Organizations.Name, o)));
            if (!unknown)
            {
                await foreach (var member in snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.Subtree(organization), cancellationToken).ConfigureAwait(false))
                {
                    if (!deleted.Contains((SyncTables.Members.Name, member.Key)))
                    {
                        unknown = true;
                        break;
                    }
                }
            }

            if (unknown)
            {
                blocked.Add((SyncTables.Organizations.Name, organization));
            }
        }

        return blocked;
    }
}
