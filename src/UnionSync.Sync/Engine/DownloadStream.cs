using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// What the parent sends the child (docs/sync-engine.md §4.3), from one snapshot, in foreign-key order: per table the
/// changes since the child's checkpoint in its scope that did not come from it, the rows that entered the scope with
/// their dependents, and the parent's versions re-sent for lost conflicts; then, children first, tombstones, re-sent
/// deletes and removals for rows that left the scope.
/// </summary>
/// <remarks>
/// It is read one batch ahead of the applier, on another thread (<see cref="ReadAhead"/>), and stays race-free because it
/// reads only the snapshot, the moves read before the first batch, the scope's organisations (read then, or at the first
/// re-send, and never changed after), and session state that nothing writes during the download: the child's checkpoint
/// (moved after the last batch), the schema, scope and node ids (fixed at open) and the re-sends (added only by the
/// upload's appliers, which have finished). The download's applier writes the child, the parent's conflict log on
/// connections of its own, and the session's counters, none of which is read here.
/// </remarks>
internal sealed class DownloadStream
{
    private const int KeyChunk = 500;

    private readonly SessionContext _context;
    private readonly IChangeSnapshot _snapshot;
    private readonly ScopeMoves _moves;
    private readonly ScopeOrganizations _scope;

    public DownloadStream(SessionContext context, IChangeSnapshot snapshot, ScopeMoves moves, ScopeOrganizations scope)
    {
        _context = context;
        _snapshot = snapshot;
        _moves = moves;
        _scope = scope;
    }

    public async IAsyncEnumerable<RowChange> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = _context.ChildRecord.ReceivedWatermark;

        // Removals of members and cards that vanished from this node go first, cards before members: a row merged into
        // another of the same unique number must be gone before that other row arrives. Removing a member or a card
        // first is safe for the foreign keys (its cards go with it), and no upsert below can bring it back.
        var tables = _context.Schema.All;
        for (var t = tables.Count - 1; t >= 1; t--)
        {
            var table = tables[t];
            foreach (var key in EarlyRemovals(table))
            {
                yield return new RowChange { Table = table, Key = key, Kind = ChangeKind.Remove };
            }
        }

        foreach (var table in tables)
        {
            var query = new ChangeQuery(table, since, _context.Scope, _context.ChildNode);
            var sources = new List<Func<IAsyncEnumerable<RowChange>>> { () => _snapshot.ReadChangesAsync(query, cancellationToken) };
            sources.AddRange(Entered(table, cancellationToken));
            foreach (var chunk in Resent(table, ChangeKind.Upsert).Chunk(KeyChunk))
            {
                sources.Add(() => InScopeAsync(_snapshot.ReadRowsAsync(table, RowSelection.ByKeys(chunk), cancellationToken), cancellationToken));
            }

            // Organisations one level at a time across every source, so that a parent always precedes its children.
            var levels = Rows.IsOrganizations(table) ? Enumerable.Range(Rows.MinLevel, Rows.MaxLevel) : new[] { 0 };
            foreach (var level in levels)
            {
                foreach (var source in sources)
                {
                    await foreach (var change in source().WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        if (change.Kind == ChangeKind.Upsert && (level == 0 || Rows.Level(change) == level))
                        {
                            yield return change;
                        }
                    }
                }
            }
        }

        for (var t = tables.Count - 1; t >= 0; t--)
        {
            var table = tables[t];
            foreach (var resend in _context.Resends.Where(r => r.Table.Name == table.Name && r.Kind != ChangeKind.Upsert && !r.Early))
            {
                yield return new RowChange { Table = table, Key = resend.Key, Kind = resend.Kind, Origin = resend.Identity };
            }

            foreach (var key in Removed(table).Where(k => Rows.IsOrganizations(table) || !_moves.Vanished.Contains(k)))
            {
                yield return new RowChange { Table = table, Key = key, Kind = ChangeKind.Remove };
            }

            var query = new ChangeQuery(table, since, _context.Scope, _context.ChildNode) { TombstonesOnly = true };
            var sent = new HashSet<Guid>();
            await foreach (var change in _snapshot.ReadChangesAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind != ChangeKind.Upsert)
                {
                    sent.Add(change.Key);
                    yield return change;
                }
            }

            if (Rows.IsCards(table))
            {
                await foreach (var tombstone in ReenteredCardTombstonesAsync(table, since, sent, cancellationToken).ConfigureAwait(false))
                {
                    yield return tombstone;
                }
            }
        }
    }

    /// <summary>
    /// Card tombstones placed, since the child's checkpoint, at the organisations outside the scope where members now back
    /// inside it had been moved (<see cref="ScopeMoves.ReenteredMemberOrigins"/>): a card deleted there is still held by
    /// the child under its returned member. A tombstone of a card the child never held is a no-op there.
    /// </summary>
    private async IAsyncEnumerable<RowChange> ReenteredCardTombstonesAsync(
        TableDescription cards, long since, HashSet<Guid> sent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var origin in _moves.ReenteredMemberOrigins)
        {
            var query = new ChangeQuery(cards, since, origin, _context.ChildNode) { TombstonesOnly = true };
            await foreach (var change in _snapshot.ReadChangesAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (change.Kind == ChangeKind.Delete && sent.Add(change.Key))
                {
                    yield return change;
                }
            }
        }
    }

    private IEnumerable<Guid> EarlyRemovals(TableDescription table) =>
        _context.Resends.Where(r => r.Table.Name == table.Name && r.Early).Select(r => r.Key)
            .Concat(Removed(table).Where(_moves.Vanished.Contains))
            .Distinct();

    /// <summary>
    /// Re-sent rows that are still in the child's scope: a row that lost its conflict may have left the scope meanwhile
    /// (its removal then comes from the move log), and a row outside the scope must never reach the child.
    /// </summary>
    private async IAsyncEnumerable<RowChange> InScopeAsync(IAsyncEnumerable<RowChange> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _scope.LoadAsync(cancellationToken).ConfigureAwait(false);
        var cards = new List<RowChange>();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (Rows.IsCards(row.Table))
            {
                cards.Add(row);
            }
            else if (Rows.IsOrganizations(row.Table) ? _scope.Contains(row.Key) : Rows.Organization(row.Values) is { } org && _scope.Contains(org))
            {
                yield return row;
            }
        }

        if (cards.Count == 0)
        {
            yield break;
        }

        var inside = new HashSet<Guid>();
        var members = cards.Select(c => Rows.Member(c.Values)).OfType<Guid>().Distinct().ToList();
        await foreach (var member in _snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.ByKeys(members), cancellationToken).ConfigureAwait(false))
        {
            if (Rows.Organization(member.Values) is { } org && _scope.Contains(org))
            {
                inside.Add(member.Key);
            }
        }

        foreach (var card in cards.Where(c => Rows.Member(c.Values) is { } m && inside.Contains(m)))
        {
            yield return card;
        }
    }

    private List<Guid> Resent(TableDescription table, ChangeKind kind) =>
        [.. _context.Resends.Where(r => r.Table.Name == table.Name && r.Kind == kind).Select(r => r.Key)];

    private List<Guid> Removed(TableDescription table) =>
        Rows.IsOrganizations(table) ? _moves.RemovedOrganizations : Rows.IsMembers(table) ? _moves.RemovedMembers : _moves.RemovedCards;

    /// <summary>Full rows of what entered the scope: organisations' subtrees, and the cards of members that moved in.</summary>
    private IEnumerable<Func<IAsyncEnumerable<RowChange>>> Entered(TableDescription table, CancellationToken cancellationToken)
    {
        foreach (var root in _moves.EnteredOrganizations)
        {
            yield return () => _snapshot.ReadRowsAsync(table, RowSelection.Subtree(root), cancellationToken);
        }

        if (Rows.IsCards(table))
        {
            foreach (var chunk in _moves.EnteredMembers.Chunk(KeyChunk))
            {
                yield return () => _snapshot.ReadRowsAsync(table, RowSelection.OfMembers(chunk), cancellationToken);
            }
        }
    }
}
