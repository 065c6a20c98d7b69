using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// The triggers that only append to the change log (<c>_ai</c>, <c>_au</c>, <c>_ad</c>, <c>_ak</c> of
/// Tracking/provision.sql), set aside for the engine's own whole-scope writes (a reinitialise's clear and reload): dropped
/// inside its transaction and created again from their own stored definitions before it commits. An apply batch lets
/// them append and deletes what they logged (Apply/SqliteApplySql.DeleteGuard); for a reload of a whole federation that
/// would be millions of log rows written and deleted again, and as many pages left free in the file.
/// </summary>
/// <remarks>
/// No other connection sees them gone: the drop is part of the transaction, and a rollback brings them back with it.
/// The triggers that write tracking or base rows at once (<c>_mv</c>, <c>_bc</c>) stay; they stand aside for the guard row.
/// </remarks>
internal static class SqliteAppendTriggers
{
    private static readonly string DefinitionsSql =
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name IN (" +
        string.Join(", ", SqliteTrackedTable.All.SelectMany(t => new[] { "ai", "au", "ad", "ak" }.Select(s => $"'unionsync_{t.Name}_{s}'"))) +
        ") ORDER BY name";

    /// <summary>Drops the append triggers in <paramref name="transaction"/>; returns the statements that create them again.</summary>
    public static async Task<IReadOnlyList<string>> SetAsideAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var triggers = new List<(string Name, string Sql)>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = DefinitionsSql;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                triggers.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in triggers)
        {
            command.CommandText = $"DROP TRIGGER \"{name}\"";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. triggers.Select(t => t.Sql)];
    }

    /// <summary>Creates again the triggers <see cref="SetAsideAsync"/> dropped, before the transaction commits.</summary>
    public static async Task RestoreAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> definitions, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var sql in definitions)
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
