using System.Globalization;
using Npgsql;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>
/// Provisions PostgreSQL change tracking (docs/sync-engine.md §2–3): the metadata tables, this node's identity and
/// statement-level triggers with transition tables. Writes nothing per existing row; concurrent provisioners exclude
/// each other with a transaction-scoped advisory lock.
/// </summary>
internal sealed class PostgresChangeTracker : IChangeTracker
{
    private const int MetadataSchemaVersion = SyncMetadataVersion.Current;

    private static readonly string LockSql =
        $"SELECT pg_advisory_xact_lock({PostgresTrackingScripts.ProvisionLockKey.ToString(CultureInfo.InvariantCulture)})";

    private static readonly string RegisterNodeSql =
        "INSERT INTO unionsync_nodes (node_id) SELECT @node_id WHERE NOT EXISTS (SELECT 1 FROM unionsync_node) ON CONFLICT (node_id) DO NOTHING; " +
        "INSERT INTO unionsync_node (node_id, node_no, schema_version) " +
        $"SELECT @node_id, (SELECT node_no FROM unionsync_nodes WHERE node_id = @node_id), {MetadataSchemaVersion} " +
        "WHERE NOT EXISTS (SELECT 1 FROM unionsync_node); " +
        // A node provisioned by an older version has just been upgraded by the script.
        $"UPDATE unionsync_node SET schema_version = {MetadataSchemaVersion} WHERE schema_version < {MetadataSchemaVersion}";

    private const string IsProvisionedSql = "SELECT to_regclass('unionsync_node') IS NOT NULL AND to_regclass('unionsync_tracking') IS NOT NULL";

    private const string NodeIdSql = "SELECT node_id FROM unionsync_node";

    // Parameter @tables (smallint[]): unionsync_base_capture becomes exactly those numbers, and a table not among them loses
    // its base rows (cheap where it has none).
    private static readonly string SetBaseCaptureSql =
        "DELETE FROM unionsync_base_capture WHERE tbl <> ALL(@tables); " +
        "INSERT INTO unionsync_base_capture (tbl) SELECT DISTINCT u.tbl FROM unnest(@tables) AS u(tbl) ON CONFLICT (tbl) DO NOTHING; " +
        string.Join(
            " ",
            PostgresTrackedTable.All.Select(t => $"DELETE FROM {t.BaseTable} WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {t.Number});"));

    private readonly NpgsqlDataSource _dataSource;
    private readonly ISchemaMigrator _schema;
    private readonly TimeProvider _timeProvider;

    public PostgresChangeTracker(NpgsqlDataSource dataSource, ISchemaMigrator schema, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _schema = schema;
        _timeProvider = timeProvider;
    }

    public async Task<bool> IsProvisionedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await IsProvisionedAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
    }

    public async Task<Guid> ProvisionAsync(CancellationToken cancellationToken)
    {
        await _schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(LockSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand(PostgresTrackingScripts.Provision, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            Guid nodeId;
            await using (var command = new NpgsqlCommand(RegisterNodeSql, connection, transaction))
            {
                command.Parameters.AddWithValue("node_id", Guid.CreateVersion7(_timeProvider.GetUtcNow()));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand(NodeIdSql, connection, transaction))
            {
                nodeId = (Guid)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return nodeId;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
    }

    public async Task DeprovisionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(PostgresTrackingScripts.Deprovision, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
    }

    public async Task<Guid> GetNodeIdAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (await IsProvisionedAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(NodeIdSql, connection);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid nodeId)
                {
                    return nodeId;
                }
            }
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }

        throw NotProvisioned();
    }

    public async Task SetBaseCaptureAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var numbers = tables.Select(t => PostgresTrackedTable.For(t).Number).Distinct().ToArray();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(SetBaseCaptureSql, connection, transaction))
            {
                command.Parameters.AddWithValue("tables", numbers);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
    }

    internal static SyncConfigurationException NotProvisioned() => new(
        "This PostgreSQL database is not provisioned for sync (no unionsync_node row): provision it first (IChangeTracker.ProvisionAsync).");

    private static async Task<bool> IsProvisionedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(IsProvisionedSql, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
