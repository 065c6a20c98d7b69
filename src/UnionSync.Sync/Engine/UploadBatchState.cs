using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// What the parent holds for one uploaded batch, read inside the batch's transaction: which of the organisations the
/// batch involves lie in the child's subtree (grown by organisations the batch adds), the current rows of the batch's
/// keys, and the organisation of every member involved.
/// </summary>
internal sealed class UploadBatchState
{
    private readonly Dictionary<string, IReadOnlyDictionary<Guid, CurrentRow>> _current = new(StringComparer.Ordinal);

    private UploadBatchState(UploadScope scope, Dictionary<Guid, Guid> memberOrganizations)
    {
        Scope = scope;
        MemberOrganizations = memberOrganizations;
    }

    public UploadScope Scope { get; }

    public Dictionary<Guid, Guid> MemberOrganizations { get; }

    public static async Task<UploadBatchState> ReadAsync(IApplyTransaction transaction, Guid scopeRoot, IReadOnlyList<RowChange> batch, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, IReadOnlyDictionary<Guid, CurrentRow>>(StringComparer.Ordinal);
        foreach (var group in batch.GroupBy(c => c.Table.Name, StringComparer.Ordinal))
        {
            var table = group.First().Table;
            var keys = group.Select(c => c.Key).Distinct().ToList();
            current[table.Name] = await transaction.ReadCurrentAsync(table, keys, cancellationToken).ConfigureAwait(false);
        }

        var memberKeys = new HashSet<Guid>();
        foreach (var change in batch.Where(c => Rows.IsCards(c.Table)))
        {
            if (Rows.Member(change.Values) is { } member)
            {
                memberKeys.Add(member);
            }

            if (current.TryGetValue(change.Table.Name, out var rows) && rows.TryGetValue(change.Key, out var row) && Rows.Member(row.Values) is { } old)
            {
                memberKeys.Add(old);
            }
        }

        var organizations = memberKeys.Count == 0
            ? new Dictionary<Guid, Guid>()
            : new Dictionary<Guid, Guid>(await transaction.ReadMemberOrganizationsAsync(memberKeys, cancellationToken).ConfigureAwait(false));

        // Every organisation that places a row of the batch, now or as sent, in scopes.
        var scope = new UploadScope(transaction, scopeRoot);
        var placing = new HashSet<Guid>(organizations.Values) { scopeRoot };
        foreach (var change in batch)
        {
            if (Rows.IsOrganizations(change.Table))
            {
                placing.Add(change.Key);
            }

            if (Placing(change.Table, change.Values) is { } org)
            {
                placing.Add(org);
            }

            if (current.TryGetValue(change.Table.Name, out var rows) && rows.TryGetValue(change.Key, out var row)
                && Placing(change.Table, row.Values) is { } currentOrg)
            {
                placing.Add(currentOrg);
            }
        }

        await scope.EnsureAsync(placing, cancellationToken).ConfigureAwait(false);
        var state = new UploadBatchState(scope, organizations);
        foreach (var pair in current)
        {
            state._current[pair.Key] = pair.Value;
        }

        return state;
    }

    public CurrentRow? CurrentOf(RowChange change) => CurrentOf(change.Table, change.Key);

    /// <summary>The organisation a row's values name: an organisation's parent, a member's organisation; a card names none.</summary>
    private static Guid? Placing(TableDescription table, object?[]? values) =>
        Rows.IsOrganizations(table) ? Rows.Parent(values) : Rows.IsMembers(table) ? Rows.Organization(values) : null;

    public CurrentRow? CurrentOf(TableDescription table, Guid key) =>
        _current.TryGetValue(table.Name, out var rows) && rows.TryGetValue(key, out var row) ? row : null;

    public Guid? OrganizationOfMember(Guid? member) => member is { } m && MemberOrganizations.TryGetValue(m, out var org) ? org : null;
}
