using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// The SQLite yardstick: rows already in memory, one prepared INSERT per table, one transaction, the driver's
/// parameters and nothing else. The schema is the same one the generator writes into.
/// </summary>
internal static class RawSqliteCopy
{
    public static async Task<TimeSpan> CopyAsync(string connectionString, IReadOnlyList<(TableDescription Table, List<object?[]> Rows)> tables, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            // The same page cache as the provider's bulk path, so that the yardstick is the best a plain INSERT does.
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var stopwatch = Stopwatch.StartNew();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, rows) in tables)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) " +
                                  $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
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
                    parameters[i].Value = ToStored(row[i]);
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return stopwatch.Elapsed;
    }

    internal static object ToStored(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        short s => (long)s,
        _ => value,
    };
}
