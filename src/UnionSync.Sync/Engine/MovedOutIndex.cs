using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The rows that left the child's scope at the parent since the child's last download (the parent's move log since the
/// child's received watermark): organisations with their current subtrees, members and cards. A child's write to one
/// of them is no violation but a conflict with the move (DESIGN §4.9).
/// </summary>
internal sealed class MovedOutIndex
{
    private readonly HashSet<Guid> _organizations = [];
    private readonly HashSet<Guid> _members = [];
    private readonly HashSet<Guid> _cards = [];
    private readonly HashSet<Guid> _region = [];

    public static async Task<MovedOutIndex> BuildAsync(ISyncProvider parent, UploadScope scope, long since, CancellationToken cancellationToken)
    {
        var index = new MovedOutIndex();
        await using var snapshot = await parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var moves = await snapshot.ReadMovesAsync(since, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        await scope.EnsureAsync(moves.Select(m => m.FromOrganization).OfType<Guid>(), cancellationToken).ConfigureAwait(false);
        foreach (var move in moves)
        {
            if (move.FromOrganization is not { } from || !scope.Contains(from))
            {
                continue;
            }

            var set = move.Table == SyncTables.Organizations.Name ? index._organizations
                : move.Table == SyncTables.Members.Name ? index._members
                : index._cards;
            set.Add(move.Key);
        }

        await scope.EnsureAsync(index._organizations, cancellationToken).ConfigureAwait(false);
        foreach (var organization in index._organizations.Where(o => !scope.Contains(o)))
        {
            index._region.UnionWith(await snapshot.ReadSubtreeAsync(organization, cancellationToken).ConfigureAwait(false));
        }

        return index;
    }

    /// <summary>Whether a row whose position is outside the scope left it by a move (its own, its member's or an ancestor's).</summary>
    public bool Covers(TableDescription table, Guid key, Guid? member, Guid? organization)
    {
        if (Rows.IsOrganizations(table))
        {
            return _organizations.Contains(key) || _region.Contains(key) || (organization is { } parent && (_organizations.Contains(parent) || _region.Contains(parent)));
        }

        if (Rows.IsMembers(table))
        {
            return _members.Contains(key) || (organization is { } org && _region.Contains(org));
        }

        return _cards.Contains(key) || (member is { } m && _members.Contains(m)) || (organization is { } o && _region.Contains(o));
    }
}
