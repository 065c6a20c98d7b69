using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>Reads an organisation's subtree (itself and its descendants) with a recursive CTE.</summary>
internal static class SqliteSubtree
{
    public static async Task<IReadOnlySet<Guid>> ReadAsync(
        SqliteConnection connection, SqliteTransaction transaction, Guid root, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SqliteVersionSql.Subtree;
        command.Parameters.AddWithValue("@root", SqliteStoredForm.FormatUuid(root));
        var subtree = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            subtree.Add(SqliteStoredForm.ParseUuid(reader.GetString(0)));
        }

        return subtree;
    }
}
