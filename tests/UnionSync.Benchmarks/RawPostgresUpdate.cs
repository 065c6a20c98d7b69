using System.Diagnostics;
using Npgsql;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// The PostgreSQL yardstick of an incremental change: rows already in memory, binary COPY into a temporary table and
/// one set-based <c>UPDATE … FROM</c> of every column by primary key, one transaction, on a plain database (no tracking
/// triggers). The fastest plain way to write many rows' new values; a prepared UPDATE per row would pay a round trip each.
/// </summary>
internal static class RawPostgresUpdate
{
    public static async Task<TimeSpan> UpdateAsync(string connectionString, TableDescription table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        var set = string.Join(", ", table.Columns.Where(c => c.Name != table.KeyColumn).Select(c => $"{c.Name} = s.{c.Name}"));
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE raw_stage (LIKE {table.Name}) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var types = table.Columns.Select(RawPostgresCopy.TypeOf).ToArray();
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY raw_stage ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            importer.Timeout = TimeSpan.Zero;
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < types.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await importer.WriteAsync(row[i], types[i], cancellationToken);
                    }
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var update = new NpgsqlCommand($"UPDATE {table.Name} AS t SET {set} FROM raw_stage AS s WHERE t.{table.KeyColumn} = s.{table.KeyColumn}", connection, transaction))
        {
            update.CommandTimeout = 0;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stopwatch.Elapsed;
    }
}
