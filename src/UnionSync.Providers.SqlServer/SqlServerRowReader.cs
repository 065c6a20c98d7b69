using System.Data.Common;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// Reads rows of a synced table from SQL Server into the CLR types of <see cref="ColumnType"/>: <c>date</c> as
/// <see cref="DateOnly"/>, <c>datetime2</c> as a UTC <see cref="DateTime"/> (the column holds UTC; SQL Server keeps no kind),
/// <c>char(18)</c> as the whole string, an added integer column (<see cref="ColumnType.BigInt"/>) as a <see cref="long"/>
/// whatever its width (smallint, int or bigint).
/// </summary>
public static class SqlServerRowReader
{
    /// <summary><c>SELECT</c> of every column in row-value order, ordered by the key.</summary>
    public static string SelectAllSql(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = string.Join(", ", table.Columns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)));
        return $"SELECT {columns} FROM {SqlServerStatements.QuoteIdentifier(table.Name)} ORDER BY {SqlServerStatements.QuoteIdentifier(table.KeyColumn)}";
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
            ColumnType.Timestamp => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    // SqlDataReader converts no integer width into another: read the column's own, then widen.
    private static long ReadInteger(DbDataReader reader, int ordinal)
    {
        var type = reader.GetFieldType(ordinal);
        return type == typeof(byte) ? reader.GetByte(ordinal)
            : type == typeof(short) ? reader.GetInt16(ordinal)
            : type == typeof(int) ? reader.GetInt32(ordinal)
            : reader.GetInt64(ordinal);
    }

    /// <summary>Fills <paramref name="destination"/> with the current row, whose columns are the table's in row-value order.</summary>
    public static void ReadRow(DbDataReader reader, TableDescription table, object?[] destination) =>
        RowStreams.ReadRow(reader, table, destination, ReadValue);

    /// <summary>Every row of <paramref name="table"/> ordered by its key, each in a new array.</summary>
    public static IAsyncEnumerable<object?[]> ReadAllAsync(DbDataSource dataSource, TableDescription table, CancellationToken cancellationToken = default) =>
        RowStreams.ReadAllAsync(dataSource, table, SelectAllSql(table), ReadValue, cancellationToken);
}
