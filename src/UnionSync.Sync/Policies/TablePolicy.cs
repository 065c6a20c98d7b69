namespace UnionSync.Sync.Policies;

/// <summary>One table's conflict policy as the parent keeps it (<c>unionsync_policies</c>), and when it was set.</summary>
public sealed record TablePolicy(string Table, ConflictPolicy Policy, DateTime? UpdatedAt = null)
{
    public static TablePolicy Default(string table) => new(table, ConflictPolicies.Default);
}
