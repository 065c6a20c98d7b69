using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// Provisions SQLite change tracking (<c>Tracking/provision.sql</c>): metadata tables, the node row and row triggers on
/// the three data tables, which append local writes to a log folded at sync time (<see cref="SqliteChangeLog"/>). It
/// writes nothing per existing row, so provisioning a large database is instant.
/// </summary>
internal sealed class SqliteChangeTracker : IChangeTracker
{
    private const string TriggerCountSql =
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (" +
        "'unionsync_organizations_ai', 'unionsync_organizations_au', 'unionsync_organizations_mv', 'unionsync_organizations_ad', 'unionsync_organizations_ak', " +
        "'unionsync_members_ai', 'unionsync_members_au', 'unionsync_members_mv', 'unionsync_members_ad', 'unionsync_members_ak', " +
        "'unionsync_service_cards_ai', 'unionsync_service_cards_au', 'unionsync_service_cards_mv', 'unionsync_service_cards_ad', 'unionsync_service_cards_ak')";

    private const int TriggerCount = 15;

    // Metadata version 2 added clock_offset_ms to unionsync_node. SQLite has no ADD COLUMN IF NOT EXISTS, so a node
    // provisioned before it is upgraded here, before the script whose triggers read the column.
    private const string NodeLacksClockOffsetSql =
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'unionsync_node') " +
        "AND NOT EXISTS (SELECT 1 FROM pragma_table_info('unionsync_node') WHERE name = 'clock_offset_ms')";

    private const string AddClockOffsetSql = "ALTER TABLE unionsync_node ADD COLUMN clock_offset_ms INTEGER NOT NULL DEFAULT 0";

    private const string LeftoversSql =
        "SELECT type, name FROM sqlite_master WHERE name LIKE 'unionsync\\_%' ESCAPE '\\' AND name <> 'unionsync_schema_version' " +
        "AND type IN ('trigger', 'view', 'table') ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, name";

    private readonly DbDataSource _dataSource;
    private readonly ISchemaMigrator _schema;
    private readonly TimeProvider _timeProvider;

    public SqliteChangeTracker(DbDataSource dataSource, ISchemaMigrator schema, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _schema = schema;
        _timeProvider = timeProvider;
    }

    public async Task<bool> IsProvisionedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await IsProvisionedAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Guid> ProvisionAsync(CancellationToken cancellationToken)
    {
        // The triggers need the data tables; migrating is idempotent.
        await _schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var candidate = Guid.CreateVersion7(_timeProvider.GetUtcNow());
        await using var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await AddMissingNodeColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = SqliteTrackingScripts.Provision;
                command.Parameters.AddWithValue("@node_id", SqliteStoredForm.FormatUuid(candidate));
                command.Parameters.AddWithValue("@schema_version", SyncMetadataVersion.Current);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // The capture triggers follow unionsync_base_capture (metadata version 4 captured inside the update triggers).
            var (captured, _) = await SqliteBaseCapture.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await SqliteBaseCapture.SetAsync(connection, transaction, captured, cancellationToken).ConfigureAwait(false);
            var nodeId = await ReadNodeIdAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return nodeId;
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
    }

    public async Task SetBaseCaptureAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var wanted = tables.Select(t => SqliteTrackedTable.For(t).Number).ToHashSet();
        await using var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (rows, triggers) = await SqliteBaseCapture.ReadAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (rows.SetEquals(wanted) && triggers.SetEquals(wanted))
            {
                return;
            }

            await using var transaction = connection.BeginTransaction(deferred: false);
            await SqliteBaseCapture.SetAsync(connection, transaction, wanted, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, "unionsync_base_capture");
        }
    }

    public async Task DeprovisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = SqliteTrackingScripts.Deprovision;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Anything else of ours that a later version may have added (tables, triggers, views) goes too.
            var leftovers = new List<(string Type, string Name)>();
            await using (var list = connection.CreateCommand())
            {
                list.Transaction = transaction;
                list.CommandText = LeftoversSql;
                await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    leftovers.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (type, name) in leftovers)
            {
                await using var drop = connection.CreateCommand();
                drop.Transaction = transaction;
                drop.CommandText = $"DROP {type.ToUpperInvariant()} IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
    }

    public async Task<Guid> GetNodeIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!await IsProvisionedAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            throw new SyncConfigurationException(
                "This SQLite database is not provisioned for sync (no unionsync_node table or tracking triggers); provision it first.");
        }

        return await ReadNodeIdAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsProvisionedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteVersionSql.NodeTableExists;
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return false;
        }

        command.CommandText = TriggerCountSql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)
            == TriggerCount;
    }

    private static async Task AddMissingNodeColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = NodeLacksClockOffsetSql;
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return;
        }

        command.CommandText = AddClockOffsetSql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Guid> ReadNodeIdAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SqliteVersionSql.SelectNode;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new SyncConfigurationException("unionsync_node holds no row: the database's tracking is damaged; deprovision and provision it again.");
        }

        return SqliteStoredForm.ParseUuid(reader.GetString(0));
    }
}
