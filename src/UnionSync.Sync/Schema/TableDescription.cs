namespace UnionSync.Sync.Schema;

/// <summary>A synced table: its name, its columns in a fixed order (the order of row values), and its key column.</summary>
public sealed class TableDescription
{
    public TableDescription(string name, IReadOnlyList<ColumnDescription> columns, string keyColumn = "id")
    {
        Name = name;
        Columns = columns;
        KeyColumn = keyColumn;
        KeyOrdinal = IndexOf(keyColumn);
    }

    public string Name { get; }

    public IReadOnlyList<ColumnDescription> Columns { get; }

    public string KeyColumn { get; }

    public int KeyOrdinal { get; }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"Table {Name} has no column {column}.", nameof(column));
    }

    public override string ToString() => Name;
}
