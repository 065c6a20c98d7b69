using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// After the policy's decisions: the accepted upserts whose parent row (an organisation's parent, a member's
/// organisation, a card's member) will not be there at the parent — gone, or its own change in this batch lost its
/// conflict (the child moved a member and issued it a card; the parent deleted the member and won). Such a row cannot be
/// applied without breaking a foreign key: the delete at the parent wins for it too. Checked parents before children,
/// so a dropped member drops its cards.
/// </summary>
internal static class DanglingReferences
{
    public static async Task<HashSet<(string Table, Guid Key)>> FindAsync(IApplyTransaction transaction, IReadOnlyList<RowChange> accepted, CancellationToken cancellationToken)
    {
        var dangling = new HashSet<(string, Guid)>();
        var upserted = accepted.Where(c => c.Kind == ChangeKind.Upsert).Select(c => (c.Table.Name, c.Key)).ToHashSet();
        foreach (var table in SyncTables.All)
        {
            var referrers = accepted
                .Where(c => c.Kind == ChangeKind.Upsert && c.Table.Name == table.Name && Reference(table, c.Values) is not null)
                .Select(c => (Change: c, Parent: Reference(table, c.Values)!.Value))
                .ToList();
            var parentTable = Rows.IsCards(table) ? SyncTables.Members : SyncTables.Organizations;
            var unknown = referrers.Select(r => r.Parent).Where(p => !upserted.Contains((parentTable.Name, p))).Distinct().ToList();
            var live = unknown.Count == 0
                ? new HashSet<Guid>()
                : (await transaction.ReadCurrentAsync(parentTable, unknown, cancellationToken).ConfigureAwait(false))
                    .Where(p => !p.Value.Deleted).Select(p => p.Key).ToHashSet();
            foreach (var (change, parent) in referrers)
            {
                var there = upserted.Contains((parentTable.Name, parent)) ? !dangling.Contains((parentTable.Name, parent)) : live.Contains(parent);
                if (!there)
                {
                    dangling.Add((table.Name, change.Key));
                }
            }
        }

        return dangling;
    }

    private static Guid? Reference(TableDescription table, object?[]? values) =>
        Rows.IsOrganizations(table) ? Rows.Parent(values) : Rows.IsMembers(table) ? Rows.Organization(values) : Rows.Member(values);
}
