using System.Globalization;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Seeding.Internal;

/// <summary>Refuses a target that already holds rows in any synced table: a generation never mixes with existing data.</summary>
internal static class TargetGuard
{
    public static async Task EnsureEmptyAsync(IDatabaseProvider target, CancellationToken cancellationToken)
    {
        await using var connection = await target.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in SyncTables.All)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table.Name}";
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (count > 0)
            {
                throw new SyncConfigurationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The target database {target.Describe()} already holds {count:N0} rows in table {table.Name}; generate writes only into an empty database and changed nothing. Use a new database, or empty organizations, members and service_cards first."));
            }
        }
    }
}
