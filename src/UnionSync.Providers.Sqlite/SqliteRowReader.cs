using System.Data.Common;
using System.Runtime.CompilerServices;
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
            ColumnType.Boolean => reader.GetInt64(ordinal) != 0,
            ColumnType.Date => SqliteStoredForm.ParseDate(reader.GetString(ordinal)),
            ColumnType.Timestamp => SqliteStoredForm.ParseTimestamp(reader.GetString(ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    /// <summary>Fills <paramref name="destination"/> with the current row, whose columns are the table's in row-value order.</summary>
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
