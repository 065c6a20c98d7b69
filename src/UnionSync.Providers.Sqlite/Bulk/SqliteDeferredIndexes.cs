using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>
/// The indexes of a table a bulk load fills from empty: dropped before its rows are written and built again, from their
/// own stored definitions, once they are all in. Inserting rows one by one into an index whose keys come in random
/// order (<c>id_number</c>, <c>name</c>, <c>card_number</c>) touches a random page per row; building it afterwards
/// sorts the keys once. At 1 M members this halves the SQLite side of a load and leaves a smaller file.
/// </summary>
/// <remarks>
/// Both happen in the load's transaction, under the table's savepoint: a load that fails, a unique index that finds a
/// duplicate as it is built included, rolls the indexes back with the rows. A table that already holds rows keeps its
/// indexes (rebuilding them would cost what its rows already cost). Indexes SQLite made for a UNIQUE or PRIMARY KEY
/// constraint have no definition of their own and stay.
/// </remarks>
internal static class SqliteDeferredIndexes
{
    /// <summary>Drops the indexes of <paramref name="table"/> if it holds no row; returns the statements that build them again.</summary>
    public static async Task<IReadOnlyList<string>> DropIfEmptyAsync(
        SqliteConnection connection, SqliteTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) != 0)
        {
            return [];
        }

        var indexes = new List<(string Name, string Sql)>();
        command.CommandText = "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL ORDER BY name";
        command.Parameters.AddWithValue("$table", table);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        command.Parameters.Clear();
        foreach (var (name, _) in indexes)
        {
            command.CommandText = $"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. indexes.Select(i => i.Sql)];
    }

    /// <summary>Builds the indexes <see cref="DropIfEmptyAsync"/> dropped.</summary>
    public static async Task BuildAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> definitions, CancellationToken cancellationToken)
    {
        if (definitions.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var sql in definitions)
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
