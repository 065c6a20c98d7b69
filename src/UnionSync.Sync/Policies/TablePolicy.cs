namespace UnionSync.Sync.Policies;

/// <summary>
/// One table's conflict policy as the parent keeps it (<c>unionsync_policies</c>), and when it was set. Under
/// <see cref="ConflictPolicy.MergeColumns"/> and <see cref="ConflictPolicy.FieldAuthority"/>, <see cref="Fallback"/>
/// decides a column both sides changed (<c>unionsync_policy_fallbacks</c>), and under field authority
/// <see cref="Owners"/> names the owner of a column (<c>unionsync_column_owners</c>): <see cref="ColumnOwners.Parent"/>,
/// <see cref="ColumnOwners.Child"/> or a partner source's name.
/// </summary>
public sealed record TablePolicy(string Table, ConflictPolicy Policy, DateTime? UpdatedAt = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoOwners = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The policy that decides a column changed on both sides (merge-columns, field-authority); parent wins by default.</summary>
    public ConflictPolicy Fallback { get; init; } = ConflictPolicies.Default;

    /// <summary>Column → owner, for field authority.</summary>
    public IReadOnlyDictionary<string, string> Owners { get; init; } = NoOwners;

    public static TablePolicy Default(string table) => new(table, ConflictPolicies.Default);
}
