using System.Data.Common;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Providers;

/// <summary>
/// Reads rows of a table in its row-value order, given a provider's conversion of one stored value to its CLR type
/// (<see cref="ColumnType"/>). The providers' row readers are this loop plus their own value conversion.
/// </summary>
public static class RowStreams
{
    public static void ReadRow(DbDataReader reader, TableDescription table, object?[] destination, Func<DbDataReader, int, ColumnDescription, object?> readValue)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(readValue);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            destination[i] = readValue(reader, i, table.Columns[i]);
        }
    }

    /// <summary>Every row <paramref name="selectSql"/> returns, each in a new array; one connection, streamed.</summary>
    public static async IAsyncEnumerable<object?[]> ReadAllAsync(
        DbDataSource dataSource,
        TableDescription table,
        string selectSql,
        Func<DbDataReader, int, ColumnDescription, object?> readValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(table);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = selectSql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[table.Columns.Count];
            ReadRow(reader, table, row, readValue);
            yield return row;
        }
    }
}
