using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// The PostgreSQL yardstick: rows already in memory, written by binary COPY straight into the tables in one
/// transaction, with no generator logic and no conversions beyond the driver's.
/// </summary>
internal static class RawPostgresCopy
{
    public static async Task<TimeSpan> CopyAsync(string connectionString, IReadOnlyList<(TableDescription Table, List<object?[]> Rows)> tables, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, rows) in tables)
        {
            var types = table.Columns.Select(TypeOf).ToArray();
            var copy = $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
            await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
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

        await transaction.CommitAsync(cancellationToken);
        return stopwatch.Elapsed;
    }

    internal static NpgsqlDbType TypeOf(ColumnDescription column) => column.Type switch
    {
        ColumnType.Uuid => NpgsqlDbType.Uuid,
        ColumnType.Text => NpgsqlDbType.Text,
        ColumnType.FixedText => NpgsqlDbType.Char,
        ColumnType.SmallInt => NpgsqlDbType.Smallint,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, null),
    };
}
