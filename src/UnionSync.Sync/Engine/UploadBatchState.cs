using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// What the parent holds for one uploaded batch, read inside the batch's transaction: the child's subtree (grown by
/// organisations the batch adds), the current rows of the batch's keys, and the organisation of every member involved.
/// </summary>
internal sealed class UploadBatchState
{
    private readonly Dictionary<string, IReadOnlyDictionary<Guid, CurrentRow>> _current = new(StringComparer.Ordinal);

    private UploadBatchState(HashSet<Guid> scope, Dictionary<Guid, Guid> memberOrganizations)
    {
        Scope = scope;
        MemberOrganizations = memberOrganizations;
    }

    public HashSet<Guid> Scope { get; }

    public Dictionary<Guid, Guid> MemberOrganizations { get; }

    public static async Task<UploadBatchState> ReadAsync(IApplyTransaction transaction, Guid scopeRoot, IReadOnlyList<RowChange> batch, CancellationToken cancellationToken)
    {
        var scope = new HashSet<Guid>(await transaction.ReadSubtreeAsync(scopeRoot, cancellationToken).ConfigureAwait(false));
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
        var state = new UploadBatchState(scope, organizations);
        foreach (var pair in current)
        {
            state._current[pair.Key] = pair.Value;
        }

        return state;
    }

    public CurrentRow? CurrentOf(RowChange change) => CurrentOf(change.Table, change.Key);

    public CurrentRow? CurrentOf(TableDescription table, Guid key) =>
        _current.TryGetValue(table.Name, out var rows) && rows.TryGetValue(key, out var row) ? row : null;

    public Guid? OrganizationOfMember(Guid? member) => member is { } m && MemberOrganizations.TryGetValue(m, out var org) ? org : null;
}
