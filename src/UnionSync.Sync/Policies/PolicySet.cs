namespace UnionSync.Sync.Policies;

/// <summary>The policies a parent keeps, by table; a table with none recorded has the default (parent wins).</summary>
public sealed class PolicySet
{
    private readonly Dictionary<string, TablePolicy> _tables;

    public PolicySet(IEnumerable<TablePolicy> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _tables = tables.ToDictionary(t => t.Table, StringComparer.Ordinal);
    }

    public static PolicySet Defaults { get; } = new([]);

    public TablePolicy For(string table) => _tables.TryGetValue(table, out var policy) ? policy : TablePolicy.Default(table);
}
