using System.Data.Common;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite;

/// <summary>Reads rows of a synced table back from SQLite's stored forms into the CLR types of <see cref="ColumnType"/>.</summary>
public static class SqliteRowReader
{
    /// <summary><c>SELECT</c> of every column in row-value order, ordered by the key.</summary>
    public static string SelectAllSql(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        return $"SELECT {columns} FROM \"{table.Name}\" ORDER BY \"{table.KeyColumn}\"";
    }

    /// <summary>The value of <paramref name="column"/> at <paramref name="ordinal"/>, null for SQL NULL.</summary>
    public static object? ReadValue(DbDataReader reader, int ordinal, ColumnDescription column)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(column);
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.Uuid => SqliteStoredForm.ParseUuid(reader.GetString(ordinal)),
            ColumnType.Text or ColumnType.FixedText => reader.GetString(ordinal),
            ColumnType.SmallInt => checked((short)reader.GetInt64(ordinal)),
            ColumnType.BigInt => reader.GetInt64(ordinal),
            ColumnType.Boolean => reader.GetInt64(ordinal) != 0,
            ColumnType.Date => SqliteStoredForm.ParseDate(reader.GetString(ordinal)),
            ColumnType.Timestamp => SqliteStoredForm.ParseTimestamp(reader.GetString(ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    /// <summary>Fills <paramref name="destination"/> with the current row, whose columns are the table's in row-value order.</summary>
    public static void ReadRow(DbDataReader reader, TableDescription table, object?[] destination) =>
        RowStreams.ReadRow(reader, table, destination, ReadValue);

    /// <summary>Every row of <paramref name="table"/> ordered by its key, each in a new array.</summary>
    public static IAsyncEnumerable<object?[]> ReadAllAsync(DbDataSource dataSource, TableDescription table, CancellationToken cancellationToken = default) =>
        RowStreams.ReadAllAsync(dataSource, table, SelectAllSql(table), ReadValue, cancellationToken);
}
