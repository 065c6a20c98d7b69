using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Changes;

/// <summary>
/// A change of one row as it travels between nodes. <see cref="Values"/> holds the row in the table's column order
/// (typed as <see cref="ColumnType"/> says) for an <see cref="ChangeKind.Upsert"/>, and is null otherwise.
/// </summary>
public sealed record RowChange
{
    public required TableDescription Table { get; init; }

    public required Guid Key { get; init; }

    public required ChangeKind Kind { get; init; }

    public object?[]? Values { get; init; }

    /// <summary>The version this change is; null for a row never changed since its node was provisioned (initial version).</summary>
    public VersionIdentity? Origin { get; init; }

    /// <summary>The version the edit started from (the last one agreed with the parent); null = the initial version.</summary>
    public VersionIdentity? Base { get; init; }

    /// <summary>
    /// For an upsert whose table the parent merges by columns: the row as the sender last agreed it with the receiver (its
    /// base row, contract columns then nulls for added ones); null when the sender keeps none (the row was not changed there
    /// since it was agreed, or its base is unknown).
    /// </summary>
    public object?[]? BaseValues { get; init; }

    /// <summary>For a tombstone: the organisation that placed the row in scopes when it was deleted.</summary>
    public Guid? ScopeOrganization { get; init; }

    public override string ToString() => $"{Kind} {Table.Name} {Key:D} ({Origin?.ToString() ?? "initial"})";
}
