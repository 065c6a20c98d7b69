using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// The SQLite yardstick of an incremental change: rows already in memory, one prepared UPDATE of every column by
/// primary key, one transaction, on a plain database (no tracking triggers). The same page cache as <see cref="RawSqliteCopy"/>.
/// </summary>
internal static class RawSqliteUpdate
{
    public static async Task<TimeSpan> UpdateAsync(string connectionString, TableDescription table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var stopwatch = Stopwatch.StartNew();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var set = table.Columns.Select((c, i) => (c, i)).Where(x => x.i != table.KeyOrdinal).Select(x => $"{x.c.Name} = $p{x.i.ToString(CultureInfo.InvariantCulture)}");
        command.CommandText = $"UPDATE {table.Name} SET {string.Join(", ", set)} WHERE {table.KeyColumn} = $p{table.KeyOrdinal.ToString(CultureInfo.InvariantCulture)}";
        var parameters = new SqliteParameter[table.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text);
        }

        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = RawSqliteCopy.ToStored(row[i]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stopwatch.Elapsed;
    }
}
