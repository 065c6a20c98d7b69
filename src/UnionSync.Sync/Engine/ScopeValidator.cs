using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The upload side's scope check (docs/sync-engine.md §5.3): every row's new and current position must be inside the
/// child's subtree. A row outside refuses the whole batch with <see cref="ScopeViolationException"/>, unless it left the
/// scope by a move at the parent since the child's last download (a conflict with the move) or its parent row is
/// deleted at the parent (a conflict with that delete).
/// </summary>
internal sealed class ScopeValidator
{
    private readonly SessionContext _context;
    private MovedOutIndex? _movedOut;

    public ScopeValidator(SessionContext context)
    {
        _context = context;
    }

    public async Task<UploadVerdict[]> CheckAsync(IApplyTransaction transaction, IReadOnlyList<RowChange> batch, UploadBatchState state, CancellationToken cancellationToken)
    {
        var verdicts = new UploadVerdict[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            verdicts[i] = await CheckAsync(transaction, batch[i], state, cancellationToken).ConfigureAwait(false);
        }

        return verdicts;
    }

    private async Task<UploadVerdict> CheckAsync(IApplyTransaction transaction, RowChange change, UploadBatchState state, CancellationToken cancellationToken)
    {
        var table = change.Table;
        var current = state.CurrentOf(change);
        var live = current is { Deleted: false };
        if (current is null && change.Kind == ChangeKind.Upsert && !IsNewCardOfMemberInScope(change, state))
        {
            // Absent here: a new row, or one this node removed since the child's last download because it left the scope
            // (the child's values still place it where it was). A new card of a member that is in the scope here is new,
            // even when that member moved within the scope meanwhile.
            var removed = await MovedOutAsync(state, cancellationToken).ConfigureAwait(false);
            if (removed.Covers(table, change.Key, Rows.IsCards(table) ? Rows.Member(change.Values) : null, null))
            {
                return UploadVerdict.MovedOut;
            }
        }

        if (live && !CurrentInScope(change, current!, state))
        {
            var (member, organization) = References(table, change.Key, current!.Values, state);
            var index = await MovedOutAsync(state, cancellationToken).ConfigureAwait(false);
            if (index.Covers(table, change.Key, member, organization))
            {
                return UploadVerdict.MovedOut;
            }

            throw Violation(change, "it is outside the child's subtree at the parent");
        }

        if (change.Kind != ChangeKind.Upsert)
        {
            if (change.Key == _context.Scope)
            {
                throw Violation(change, "a child may not delete its own scope root");
            }

            return UploadVerdict.InScope;
        }

        var values = change.Values ?? throw Violation(change, "the upsert carries no values");
        if (Rows.IsOrganizations(table) && change.Key == _context.Scope)
        {
            if (live && Rows.Parent(values) != Rows.Parent(current!.Values))
            {
                throw Violation(change, "a child may not re-parent its own scope root");
            }

            return UploadVerdict.InScope;
        }

        var target = NewPosition(table, values, state);
        if (target is { } position && state.Scope.Contains(position))
        {
            Accept(change, values, state);
            return UploadVerdict.InScope;
        }

        if (await ParentDeletedAsync(transaction, table, values, cancellationToken).ConfigureAwait(false))
        {
            return UploadVerdict.ParentDeleted;
        }

        var (newMember, newOrganization) = References(table, Guid.Empty, values, state);
        var moved = await MovedOutAsync(state, cancellationToken).ConfigureAwait(false);
        if (moved.Covers(table, Guid.Empty, newMember, newOrganization))
        {
            return UploadVerdict.MovedOut;
        }

        throw Violation(change, "its new position is outside the child's subtree");
    }

    private static bool IsNewCardOfMemberInScope(RowChange change, UploadBatchState state) =>
        Rows.IsCards(change.Table) && state.OrganizationOfMember(Rows.Member(change.Values)) is { } position && state.Scope.Contains(position);

    private static bool CurrentInScope(RowChange change, CurrentRow current, UploadBatchState state)
    {
        if (Rows.IsOrganizations(change.Table))
        {
            return state.Scope.Contains(change.Key);
        }

        var position = Rows.IsMembers(change.Table)
            ? Rows.Organization(current.Values)
            : state.OrganizationOfMember(Rows.Member(current.Values));
        return position is { } org && state.Scope.Contains(org);
    }

    /// <summary>The organisation whose membership in the subtree decides a new row's position.</summary>
    private static Guid? NewPosition(TableDescription table, object?[] values, UploadBatchState state) =>
        Rows.IsOrganizations(table) ? Rows.Parent(values)
        : Rows.IsMembers(table) ? Rows.Organization(values)
        : state.OrganizationOfMember(Rows.Member(values));

    private static (Guid? Member, Guid? Organization) References(TableDescription table, Guid key, object?[]? values, UploadBatchState state)
    {
        if (Rows.IsOrganizations(table))
        {
            return (null, Rows.Parent(values) ?? (key == Guid.Empty ? null : key));
        }

        if (Rows.IsMembers(table))
        {
            return (null, Rows.Organization(values));
        }

        var member = Rows.Member(values);
        return (member, state.OrganizationOfMember(member));
    }

    private static void Accept(RowChange change, object?[] values, UploadBatchState state)
    {
        if (Rows.IsOrganizations(change.Table))
        {
            state.Scope.Add(change.Key);
        }
        else if (Rows.IsMembers(change.Table) && Rows.Organization(values) is { } org)
        {
            state.MemberOrganizations[change.Key] = org;
        }
    }

    private static async Task<bool> ParentDeletedAsync(IApplyTransaction transaction, TableDescription table, object?[] values, CancellationToken cancellationToken)
    {
        var (parentTable, parentKey) = Rows.IsOrganizations(table) ? (SyncTables.Organizations, Rows.Parent(values))
            : Rows.IsMembers(table) ? (SyncTables.Organizations, Rows.Organization(values))
            : (SyncTables.Members, Rows.Member(values));
        if (parentKey is not { } key)
        {
            return false;
        }

        var rows = await transaction.ReadCurrentAsync(parentTable, [key], cancellationToken).ConfigureAwait(false);
        return rows.TryGetValue(key, out var row) && row.Deleted;
    }

    private async Task<MovedOutIndex> MovedOutAsync(UploadBatchState state, CancellationToken cancellationToken) =>
        _movedOut ??= await MovedOutIndex.BuildAsync(_context.Parent, state.Scope, _context.ChildRecord.ReceivedWatermark, cancellationToken).ConfigureAwait(false);

    private ScopeViolationException Violation(RowChange change, string reason)
    {
        var label = Rows.MemberLabel(change.Table, change.Values);
        return new ScopeViolationException(change.Table.Name, change.Key, _context.Scope, label is null ? reason : $"{reason} (member {label})");
    }
}
