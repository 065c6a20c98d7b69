using System.Data.Common;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// Reads rows of a synced table from SQL Server into the CLR types of <see cref="ColumnType"/>: <c>date</c> as
/// <see cref="DateOnly"/>, <c>datetime2</c> as a UTC <see cref="DateTime"/> (the column holds UTC; SQL Server keeps no kind),
/// <c>char(18)</c> as the whole string.
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
            ColumnType.Boolean => reader.GetBoolean(ordinal),
            ColumnType.Date => reader.GetFieldValue<DateOnly>(ordinal),
            ColumnType.Timestamp => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    public static void ReadRow(DbDataReader reader, TableDescription table, object?[] destination)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(destination);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            destination[i] = ReadValue(reader, i, table.Columns[i]);
        }
    }

    /// <summary>Every row of <paramref name="table"/> ordered by its key, each in a new array.</summary>
    public static async IAsyncEnumerable<object?[]> ReadAllAsync(
        DbDataSource dataSource, TableDescription table, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(table);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectAllSql(table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[table.Columns.Count];
            ReadRow(reader, table, row);
            yield return row;
        }
    }
}
