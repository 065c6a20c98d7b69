using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Decides queued conflicts (policy <c>manual</c>) in the database whose log holds them, the parent of the edge where
/// they arose. Taking the parent's version only closes the entry: the row already holds it and the child received it.
/// Taking the child's version writes it at this node as a new change of this node, with a version of this node's hybrid
/// logical clock later than the row's current one (<see cref="IApplyTransaction.NextOwnVersionAsync"/>), in the same
/// transaction that closes the entry; it then syncs like any change: down to every child holding the row (the one that
/// made it included) and up to this node's own parent.
/// </summary>
public sealed class ConflictDecisions
{
    private readonly ISyncProvider _database;

    public ConflictDecisions(ISyncProvider database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <exception cref="SyncConfigurationException">no conflict has that id in this database's log.</exception>
    /// <exception cref="ConflictNotQueuedException">the conflict was decided already.</exception>
    /// <exception cref="ConflictDecisionRefusedException">the child's version of a row that has left this node's scope since.</exception>
    /// <exception cref="VersionMismatchException">the database's sync metadata is newer than this UnionSync knows.</exception>
    public async Task<ConflictRecord> ResolveAsync(long id, ConflictChoice take, CancellationToken cancellationToken = default)
    {
        // A decision writes through the apply path, which needs the metadata this UnionSync writes: an older node is upgraded first.
        await SyncProtocol.EnsureMetadataAsync(_database, "given", cancellationToken).ConfigureAwait(false);
        var conflict = await _database.Metadata.GetConflictAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncConfigurationException($"This database's conflict log has no conflict {id}; 'unionsync conflicts list' shows the ids.");
        if (conflict.State != ConflictStates.Queued)
        {
            throw new ConflictNotQueuedException($"Conflict {id} is {conflict.State}, not queued: {conflict.Outcome}");
        }

        var outcome = take == ConflictChoice.Parent
            ? "decided by an operator: the parent's version stays"
            : "decided by an operator: the child's version replaces the parent's, as a new change that syncs on";
        await using var transaction = await _database.Applier.BeginAsync(cancellationToken).ConfigureAwait(false);
        if (take == ConflictChoice.Child)
        {
            await ApplyChildVersionAsync(transaction, conflict, cancellationToken).ConfigureAwait(false);
        }

        if (!await transaction.DecideConflictAsync(id, outcome, cancellationToken).ConfigureAwait(false))
        {
            throw new ConflictNotQueuedException($"Conflict {id} was decided by someone else meanwhile; nothing was changed.");
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return conflict with { State = ConflictStates.Resolved, Outcome = outcome };
    }

    private async Task ApplyChildVersionAsync(IApplyTransaction transaction, ConflictRecord conflict, CancellationToken cancellationToken)
    {
        var table = SyncTables.Named(conflict.Table);
        var node = await _database.Tracking.GetNodeIdAsync(cancellationToken).ConfigureAwait(false);
        var current = (await transaction.ReadCurrentAsync(table, [conflict.Key], cancellationToken).ConfigureAwait(false))
            .GetValueOrDefault(conflict.Key);
        if (conflict.ChildVersion is null && (current is null || current.Deleted))
        {
            return;
        }

        var moves = current is null ? await transaction.ReadMovesAsync(table.Name, [conflict.Key], 0, cancellationToken).ConfigureAwait(false) : [];
        if (moves.Count > 0 && moves[^1].ToOrganization is null)
        {
            throw new ConflictDecisionRefusedException(
                $"Conflict {conflict.Id}: the {table.Name} row {conflict.Key:D} has left this node's scope since (moved at its parent), so the child's "
                + "version cannot be taken here; take the parent's version, and decide it where the row now is.");
        }

        var version = await transaction.NextOwnVersionAsync(Identities.Normalize(current?.Identity)?.Version ?? 0, cancellationToken).ConfigureAwait(false);
        var change = new RowChange
        {
            Table = table,
            Key = conflict.Key,
            Kind = conflict.ChildVersion is null ? ChangeKind.Delete : ChangeKind.Upsert,
            Values = conflict.ChildVersion is null ? null : RowJson.Read(table, conflict.ChildVersion),
            Origin = new VersionIdentity(node, version),
            ScopeOrganization = conflict.ChildVersion is null ? await TombstoneScopeAsync(transaction, table, current!.Values, cancellationToken).ConfigureAwait(false) : null,
        };

        // Applied as a change "from" this node itself: the base (what this node agreed with its own parent) is kept, so
        // the decision travels up without a spurious conflict, and no child is excluded from receiving it.
        await transaction.ApplyFromChildAsync(table, [change], node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The organisation that places a deleted row in scopes: an organisation's parent, a member's or a card's member's organisation.</summary>
    private static async Task<Guid?> TombstoneScopeAsync(IApplyTransaction transaction, TableDescription table, object?[]? values, CancellationToken cancellationToken)
    {
        if (Rows.IsOrganizations(table))
        {
            return Rows.Parent(values);
        }

        if (Rows.IsMembers(table))
        {
            return Rows.Organization(values);
        }

        return Rows.Member(values) is { } member
            ? (await transaction.ReadMemberOrganizationsAsync([member], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(member)
            : null;
    }
}
