using System.Globalization;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>Whether a database holds any synced row: one ANSI statement that every provider runs as is.</summary>
internal static class ChildProbe
{
    private static readonly string HasRowsSql =
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {SyncTables.Organizations.Name}) THEN 1 ELSE 0 END";

    public static async Task<bool> HasRowsAsync(IDatabaseProvider database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = HasRowsSql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
    }
}
