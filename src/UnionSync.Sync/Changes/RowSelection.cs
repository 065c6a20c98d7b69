namespace UnionSync.Sync.Changes;

/// <summary>
/// Which current rows of a table to read: those in an organisation's subtree (organisations of the subtree, their
/// members, those members' cards), those of given members (a member's cards), or given keys.
/// </summary>
public sealed record RowSelection
{
    private RowSelection()
    {
    }

    public Guid? SubtreeRoot { get; private init; }

    public IReadOnlyCollection<Guid>? MemberKeys { get; private init; }

    public IReadOnlyCollection<Guid>? Keys { get; private init; }

    public static RowSelection Subtree(Guid root) => new() { SubtreeRoot = root };

    public static RowSelection OfMembers(IReadOnlyCollection<Guid> memberKeys) => new() { MemberKeys = memberKeys };

    public static RowSelection ByKeys(IReadOnlyCollection<Guid> keys) => new() { Keys = keys };
}
