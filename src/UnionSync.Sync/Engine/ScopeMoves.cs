using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The parent's move log since the child's received watermark, read against the child's current subtree: rows that
/// left the scope (removals at the child) and rows that entered it whose dependents the child lacks (an organisation's
/// subtree, a member's cards). Holds moves and keys of moved rows only: its size follows the number of moves, not of rows.
/// </summary>
internal sealed class ScopeMoves
{
    private readonly Dictionary<Guid, MoveTrail> _organizations = [];
    private readonly Dictionary<Guid, MoveTrail> _members = [];
    private readonly Dictionary<Guid, MoveTrail> _cards = [];

    public List<Guid> RemovedOrganizations { get; } = [];

    public List<Guid> RemovedMembers { get; } = [];

    public List<Guid> RemovedCards { get; } = [];

    public List<Guid> EnteredOrganizations { get; } = [];

    public List<Guid> EnteredMembers { get; } = [];

    /// <summary>Members and cards whose last move went nowhere: removed at this node itself (they left its scope, or merged into another row).</summary>
    public HashSet<Guid> Vanished { get; } = [];

    /// <summary>
    /// The organisations outside the scope that members now back inside it were moved out to. A card deleted while its
    /// member sat there has its tombstone there, outside the scope, and the member's return brings only the cards it still
    /// has: the child, which held the card, is sent those tombstones too.
    /// </summary>
    public HashSet<Guid> ReenteredMemberOrigins { get; } = [];

    public int RemovalCount => RemovedOrganizations.Count + RemovedMembers.Count + RemovedCards.Count;

    /// <param name="organizations">The scope, read only when the log holds a move since <paramref name="since"/>.</param>
    public static async Task<ScopeMoves> ReadAsync(IChangeSnapshot snapshot, ScopeOrganizations organizations, long since, CancellationToken cancellationToken)
    {
        var moves = new ScopeMoves();
        var log = await snapshot.ReadMovesAsync(since, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (log.Count == 0)
        {
            return moves;
        }

        var scope = await organizations.LoadAsync(cancellationToken).ConfigureAwait(false);
        var unknownOrigins = new HashSet<Guid>();
        foreach (var move in log)
        {
            var trails = move.Table == SyncTables.Organizations.Name ? moves._organizations
                : move.Table == SyncTables.Members.Name ? moves._members
                : moves._cards;
            if (!trails.TryGetValue(move.Key, out var trail))
            {
                trail = new MoveTrail();
                trails[move.Key] = trail;
            }

            if (move.FromOrganization is { } from)
            {
                if (scope.Contains(from))
                {
                    trail.FromInside = true;
                }
                else
                {
                    trail.FromOutside = true;
                    trail.OutsideOrigins.Add(from);
                    unknownOrigins.Add(from);
                }
            }

            trail.LastTarget = move.ToOrganization;
        }

        foreach (var (key, trail) in moves._members.Concat(moves._cards))
        {
            if (trail.LastTarget is null)
            {
                moves.Vanished.Add(key);
            }
        }

        // A move out of an organisation that no longer exists may have left the scope: its removal is a no-op where the row never was.
        var existing = new HashSet<Guid>();
        if (unknownOrigins.Count > 0)
        {
            await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Organizations, RowSelection.ByKeys(unknownOrigins), cancellationToken).ConfigureAwait(false))
            {
                existing.Add(row.Key);
            }
        }

        Classify(moves._organizations, scope, existing, isOrganization: true, moves.RemovedOrganizations, moves.EnteredOrganizations);
        Classify(moves._members, scope, existing, isOrganization: false, moves.RemovedMembers, moves.EnteredMembers);
        Classify(moves._cards, scope, existing, isOrganization: false, moves.RemovedCards, null);
        await moves.KeepPresentAsync(snapshot, scope, cancellationToken).ConfigureAwait(false);
        foreach (var key in moves.EnteredMembers)
        {
            if (moves._members[key] is { FromInside: true } trail)
            {
                moves.ReenteredMemberOrigins.UnionWith(trail.OutsideOrigins);
            }
        }

        return moves;
    }

    /// <summary>
    /// The move log says where a member or card was last moved, not always where it is now: a row may have been deleted
    /// here since, and one deleted and brought back (by a child's winning version, or the parent's row re-sent after a
    /// child's delete lost) logs a move only when it comes back elsewhere than its tombstone (providers since seed
    /// arNayjeBwAH7; a log written before that has none). So every moved member and card that touched the scope is read
    /// as it is now: inside, it is no removal; outside or gone, it is one (a removal of a row the child does not hold is
    /// a no-op there).
    /// </summary>
    private async Task KeepPresentAsync(IChangeSnapshot snapshot, IReadOnlySet<Guid> scope, CancellationToken cancellationToken)
    {
        bool Touched(MoveTrail trail) => trail.FromInside || (trail.LastTarget is { } target && scope.Contains(target));
        var members = _members.Where(p => Touched(p.Value)).Select(p => p.Key).ToList();
        var cards = _cards.Where(p => Touched(p.Value)).Select(p => p.Key).ToList();
        if (members.Count == 0 && cards.Count == 0)
        {
            return;
        }

        var cardMembers = new Dictionary<Guid, Guid>();
        foreach (var chunk in cards.Chunk(500))
        {
            await foreach (var card in snapshot.ReadRowsAsync(SyncTables.ServiceCards, RowSelection.ByKeys(chunk), cancellationToken).ConfigureAwait(false))
            {
                if (Rows.Member(card.Values) is { } member)
                {
                    cardMembers[card.Key] = member;
                }
            }
        }

        var memberOrganizations = new Dictionary<Guid, Guid>();
        foreach (var chunk in members.Concat(cardMembers.Values).Distinct().Chunk(500))
        {
            await foreach (var member in snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.ByKeys(chunk), cancellationToken).ConfigureAwait(false))
            {
                if (Rows.Organization(member.Values) is { } organization)
                {
                    memberOrganizations[member.Key] = organization;
                }
            }
        }

        bool Inside(Guid member) => memberOrganizations.TryGetValue(member, out var organization) && scope.Contains(organization);
        bool CardInside(Guid card) => cardMembers.TryGetValue(card, out var member) && Inside(member);
        Reconcile(members, Inside, RemovedMembers, EnteredMembers);
        Reconcile(cards, CardInside, RemovedCards, null);
    }

    private static void Reconcile(List<Guid> keys, Func<Guid, bool> inside, List<Guid> removed, List<Guid>? entered)
    {
        var removedSet = removed.ToHashSet();
        removed.RemoveAll(k => inside(k));
        foreach (var key in keys.Where(k => !inside(k) && !removedSet.Contains(k)))
        {
            removed.Add(key);
            entered?.Remove(key);
        }
    }

    private static void Classify(Dictionary<Guid, MoveTrail> trails, IReadOnlySet<Guid> scope, HashSet<Guid> existing, bool isOrganization, List<Guid> removed, List<Guid>? entered)
    {
        foreach (var (key, trail) in trails)
        {
            var inside = isOrganization ? scope.Contains(key) : trail.LastTarget is { } target && scope.Contains(target);
            var leftFromGone = trail.OutsideOrigins.Any(o => !existing.Contains(o));
            if (!inside && (trail.FromInside || leftFromGone))
            {
                removed.Add(key);
            }
            else if (inside && trail.FromOutside)
            {
                entered?.Add(key);
            }
        }
    }

    private sealed class MoveTrail
    {
        public bool FromInside { get; set; }

        public bool FromOutside { get; set; }

        public List<Guid> OutsideOrigins { get; } = [];

        public Guid? LastTarget { get; set; }
    }
}
