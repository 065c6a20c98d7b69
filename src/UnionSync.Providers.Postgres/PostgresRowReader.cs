using System.Data.Common;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres;

/// <summary>
/// Reads rows of a synced table from PostgreSQL into the CLR types of <see cref="ColumnType"/> (char(18) as a whole string;
/// an added integer column as a <see cref="long"/> whatever its width).
/// </summary>
public static class PostgresRowReader
{
    /// <summary><c>SELECT</c> of every column in row-value order, ordered by the key.</summary>
    public static string SelectAllSql(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        return $"SELECT {columns} FROM \"{table.Name}\" ORDER BY \"{table.KeyColumn}\"";
    }

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
            ColumnType.Uuid => reader.GetGuid(ordinal),
            ColumnType.Text or ColumnType.FixedText => reader.GetString(ordinal),
            ColumnType.SmallInt => reader.GetInt16(ordinal),
            ColumnType.BigInt => ReadInteger(reader, ordinal),
            ColumnType.Boolean => reader.GetBoolean(ordinal),
            ColumnType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            ColumnType.Timestamp => reader.GetFieldValue<DateTime>(ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    /// <summary>An added integer column as a <see cref="long"/>, whether it is smallint, integer or bigint.</summary>
    private static long ReadInteger(DbDataReader reader, int ordinal)
    {
        var type = reader.GetFieldType(ordinal);
        return type == typeof(short) ? reader.GetInt16(ordinal) : type == typeof(int) ? reader.GetInt32(ordinal) : reader.GetInt64(ordinal);
    }

    /// <summary>Fills <paramref name="destination"/> with the current row, whose columns are the table's in row-value order.</summary>
    public static void ReadRow(DbDataReader reader, TableDescription table, object?[] destination) =>
        RowStreams.ReadRow(reader, table, destination, ReadValue);

    /// <summary>Every row of <paramref name="table"/> ordered by its key, each in a new array.</summary>
    public static IAsyncEnumerable<object?[]> ReadAllAsync(DbDataSource dataSource, TableDescription table, CancellationToken cancellationToken = default) =>
        RowStreams.ReadAllAsync(dataSource, table, SelectAllSql(table), ReadValue, cancellationToken);
}
