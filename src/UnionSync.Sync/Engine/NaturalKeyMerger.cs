using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Insert/insert of one natural key at the parent (issue 5): a member the child created whose ID number the parent
/// already holds under another key is the same person — one member, not two; likewise a card number. The parent's row
/// survives under its key and keeps either version's values as the table's policy decides (a conflict "insert-insert" in
/// the log); the child's row is removed at the child before the surviving row is sent to it (if it is in the child's
/// scope), and the child's cards of the merged member follow the survivor (this session and later ones).
/// </summary>
internal sealed class NaturalKeyMerger
{
    private readonly SessionContext _context;
    private readonly ConflictResolver _resolver;

    public NaturalKeyMerger(SessionContext context, ConflictResolver resolver)
    {
        _context = context;
        _resolver = resolver;
    }

    /// <summary>
    /// Finds the batch's new rows whose unique number the parent already holds (position → the parent's key), records the
    /// merged members, and points the child's cards of merged members at the survivor (those positions are returned as
    /// re-pointed: the parent accepts them without a scope check, for their member is the parent's row now).
    /// </summary>
    public async Task<(IReadOnlyList<RowChange> Batch, Dictionary<int, Guid> Duplicates, HashSet<int> Repointed)> PrepareAsync(
        IApplyTransaction transaction, IReadOnlyList<RowChange> batch, UploadBatchState state, CancellationToken cancellationToken)
    {
        var duplicates = new Dictionary<int, Guid>();
        foreach (var table in new[] { SyncTables.Members, SyncTables.ServiceCards })
        {
            var ordinal = table.IndexOf(UniqueColumn(table));
            var candidates = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < batch.Count; i++)
            {
                var change = batch[i];
                if (change.Table.Name == table.Name && change.Kind == ChangeKind.Upsert && state.CurrentOf(change) is null && change.Values?[ordinal] is string value)
                {
                    candidates[value] = i;
                }
            }

            if (candidates.Count == 0)
            {
                continue;
            }

            var held = await transaction.FindByNaturalKeyAsync(table, candidates.Keys, cancellationToken).ConfigureAwait(false);
            foreach (var (value, key) in held)
            {
                var position = candidates[value];
                if (key != batch[position].Key)
                {
                    duplicates[position] = key;
                    if (Rows.IsMembers(table))
                    {
                        _context.MergedMembers[batch[position].Key] = key;
                    }
                }
            }
        }

        var repointed = new HashSet<int>();
        if (_context.MergedMembers.Count == 0)
        {
            return (batch, duplicates, repointed);
        }

        var result = batch.ToList();
        var memberOrdinal = SyncTables.ServiceCards.IndexOf("member_id");
        for (var i = 0; i < result.Count; i++)
        {
            var change = result[i];
            if (Rows.IsCards(change.Table) && Rows.Member(change.Values) is { } member && _context.MergedMembers.TryGetValue(member, out var survivor))
            {
                var values = (object?[])change.Values!.Clone();
                values[memberOrdinal] = survivor;
                result[i] = change with { Values = values };
                repointed.Add(i);
            }
        }

        return (result, duplicates, repointed);
    }

    /// <summary>Decides one duplicate by the table's policy and logs it; the child's row goes, the survivor is re-sent.</summary>
    public async Task MergeAsync(
        IApplyTransaction transaction, RowChange change, Guid survivorKey, UploadBatchState state, List<RowChange> accepted, List<ConflictRecord> conflicts, CancellationToken cancellationToken)
    {
        var table = change.Table;
        var survivor = (await transaction.ReadCurrentAsync(table, [survivorKey], cancellationToken).ConfigureAwait(false))[survivorKey];
        var values = (object?[])change.Values!.Clone();
        values[table.IndexOf("id")] = survivorKey;
        var childVersion = change with { Key = survivorKey, Values = values };
        var winner = _resolver.Resolve(childVersion, survivor);
        var policy = _resolver.PolicyOf(table.Name);
        var outcome = $"one {(Rows.IsMembers(table) ? "member" : "card")}, not two: the child's new row {change.Key:D} holds the {UniqueColumn(table)} of the parent's row; "
            + "it is merged into the parent's row and removed at the child; " + ConflictOutcomes.Describe(policy, winner, childVersion, survivor);
        conflicts.Add(_context.Conflict(new ConflictInput(
            table, survivorKey, "insert-insert", survivor.Values, values, survivor.Identity, change.Origin, outcome, policy, winner == ConflictWinner.Queued)));
        if (winner == ConflictWinner.Child)
        {
            accepted.Add(childVersion);
        }

        _context.AddResend(new Resend(table, change.Key, ChangeKind.Remove, null, Early: true));
        var kept = winner == ConflictWinner.Child ? values : survivor.Values;
        if (await InScopeAsync(transaction, table, kept, state, cancellationToken).ConfigureAwait(false))
        {
            _context.AddResend(new Resend(table, survivorKey, ChangeKind.Upsert, survivor.Identity));
        }
    }

    /// <summary>A child's card of a merged member, now the survivor's: applied, and re-sent when the survivor is in the child's scope.</summary>
    public async Task AcceptRepointedAsync(
        IApplyTransaction transaction, RowChange change, UploadBatchState state, List<RowChange> accepted, CancellationToken cancellationToken)
    {
        accepted.Add(change);
        if (await InScopeAsync(transaction, change.Table, change.Values, state, cancellationToken).ConfigureAwait(false))
        {
            _context.AddResend(new Resend(change.Table, change.Key, ChangeKind.Upsert, change.Origin));
        }
    }

    private static string UniqueColumn(TableDescription table) => Rows.IsMembers(table) ? "id_number" : "card_number";

    private static async Task<bool> InScopeAsync(IApplyTransaction transaction, TableDescription table, object?[]? values, UploadBatchState state, CancellationToken cancellationToken)
    {
        if (Rows.IsMembers(table))
        {
            return Rows.Organization(values) is { } org && await state.Scope.ContainsAsync(org, cancellationToken).ConfigureAwait(false);
        }

        if (Rows.Member(values) is not { } member)
        {
            return false;
        }

        var organization = state.OrganizationOfMember(member)
            ?? (await transaction.ReadMemberOrganizationsAsync([member], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(member);
        return await state.Scope.ContainsAsync(organization, cancellationToken).ConfigureAwait(false);
    }
}
