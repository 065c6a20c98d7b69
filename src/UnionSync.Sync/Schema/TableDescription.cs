namespace UnionSync.Sync.Schema;

/// <summary>
/// A synced table: its name, its columns in a fixed order (the order of row values), and its key column. The contract's
/// columns (DESIGN §3) come first; a description of a real database may add <see cref="ExtraColumns"/> after them,
/// nullable columns a node added to the table (docs/sync-engine.md §10), synced with the peers that have them too.
/// </summary>
public sealed class TableDescription
{
    public TableDescription(string name, IReadOnlyList<ColumnDescription> columns, string keyColumn = "id")
        : this(name, columns, keyColumn, contractColumnCount: columns.Count)
    {
    }

    private TableDescription(string name, IReadOnlyList<ColumnDescription> columns, string keyColumn, int contractColumnCount)
    {
        Name = name;
        Columns = columns;
        KeyColumn = keyColumn;
        KeyOrdinal = IndexOf(keyColumn);
        ContractColumnCount = contractColumnCount;
        ExtraColumns = [.. columns.Skip(contractColumnCount)];
        Signature = ExtraColumns.Count == 0 ? name : $"{name}({string.Join(",", ExtraColumns.Select(c => $"{c.Name}:{c.Type}"))})";
    }

    public string Name { get; }

    public IReadOnlyList<ColumnDescription> Columns { get; }

    public string KeyColumn { get; }

    public int KeyOrdinal { get; }

    /// <summary>How many of <see cref="Columns"/> are the contract's; the rest are <see cref="ExtraColumns"/>.</summary>
    public int ContractColumnCount { get; }

    /// <summary>Columns beyond the contract's, in the order they follow them in row values.</summary>
    public IReadOnlyList<ColumnDescription> ExtraColumns { get; }

    /// <summary>The name, and the extra columns with their types when there are any: equal signatures, equal descriptions.</summary>
    public string Signature { get; }

    /// <summary>This table's contract columns followed by <paramref name="extras"/>; this very description when there are none.</summary>
    public TableDescription WithExtraColumns(IReadOnlyList<ColumnDescription> extras)
    {
        ArgumentNullException.ThrowIfNull(extras);
        if (extras.Count == 0 && ContractColumnCount == Columns.Count)
        {
            return this;
        }

        return new TableDescription(Name, [.. Columns.Take(ContractColumnCount), .. extras], KeyColumn, ContractColumnCount);
    }

    public int IndexOf(string column) =>
        TryIndexOf(column) is { } ordinal ? ordinal : throw new ArgumentException($"Table {Name} has no column {column}.", nameof(column));

    public int? TryIndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    public override string ToString() => Name;
}
