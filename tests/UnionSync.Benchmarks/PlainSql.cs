using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using UnionSync.Sync.Providers;

namespace UnionSync.Benchmarks;

/// <summary>Plain SQL on a provider's connections, as another application writes: no engine involved.</summary>
internal static class PlainSql
{
    /// <summary>Runs <paramref name="warmUp"/> (untimed, so that both sides of a comparison start with the rows cached), then times <paramref name="statement"/>.</summary>
    public static async Task<(TimeSpan Elapsed, int Rows)> TimeStatementAsync(ISyncProvider database, string warmUp, string statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var warm = Command(connection, warmUp))
        {
            await warm.ExecuteScalarAsync(cancellationToken);
        }

        await using var command = Command(connection, statement);
        var stopwatch = Stopwatch.StartNew();
        var rows = await command.ExecuteNonQueryAsync(cancellationToken);
        return (stopwatch.Elapsed, rows);
    }

    /// <summary>
    /// Writes out what earlier statements left dirty (PostgreSQL: CHECKPOINT; SQLite: the WAL into the file), so that a
    /// timed statement does not pay for the one before it. A PostgreSQL role that may not checkpoint skips it, saying so.
    /// </summary>
    public static async Task CheckpointAsync(ISyncProvider database, bool isPostgres, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, isPostgres ? "CHECKPOINT" : "PRAGMA wal_checkpoint(TRUNCATE)");
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == "42501")
        {
            await Console.Error.WriteLineAsync($"No checkpoint before the timed statement: {ex.MessageText}");
        }
    }

    /// <summary>Runs <paramref name="statement"/>, untimed; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(ISyncProvider database, string statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, statement);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The plan <paramref name="statement"/> would run with, one line per node, without running it (PostgreSQL: EXPLAIN (COSTS OFF); SQLite: EXPLAIN QUERY PLAN).</summary>
    public static async Task<string> PlanAsync(ISyncProvider database, bool isPostgres, string statement, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, (isPostgres ? "EXPLAIN (COSTS OFF) " : "EXPLAIN QUERY PLAN ") + statement);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(Convert.ToString(reader.GetValue(isPostgres ? 0 : reader.FieldCount - 1), CultureInfo.InvariantCulture)!.Trim());
        }

        return string.Join(" / ", lines);
    }

    /// <summary>The first column of every row, read as UUIDs (SQLite keeps them as text, PostgreSQL as uuid).</summary>
    public static async Task<List<Guid>> IdsAsync(ISyncProvider database, string query, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetValue(0) switch
            {
                Guid g => g,
                string s => Guid.Parse(s, CultureInfo.InvariantCulture),
                var other => throw new InvalidOperationException($"Expected a UUID, read {other.GetType().Name}."),
            });
        }

        return ids;
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return command;
    }
}
