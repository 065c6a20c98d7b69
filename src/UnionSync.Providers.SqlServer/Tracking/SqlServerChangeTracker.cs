using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.SqlClient;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Tracking;

/// <summary>
/// Provisions SQL Server change tracking (docs/sync-engine.md §2–3): snapshot isolation allowed, the metadata tables,
/// the version sequence, this node's identity and AFTER triggers over inserted/deleted. Writes nothing per existing
/// row. Concurrent provisioners exclude each other with an application lock owned by the transaction.
/// </summary>
internal sealed class SqlServerChangeTracker : IChangeTracker
{
    private readonly DbDataSource _dataSource;
    private readonly ISchemaMigrator _schema;
    private readonly TimeProvider _timeProvider;

    public SqlServerChangeTracker(DbDataSource dataSource, ISchemaMigrator schema, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _schema = schema;
        _timeProvider = timeProvider;
    }

    public async Task<bool> IsProvisionedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new SqlCommand(SqlServerTrackingScripts.IsProvisionedSql, connection);
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "checking sync provisioning");
        }
    }

    public async Task<Guid> ProvisionAsync(CancellationToken cancellationToken)
    {
        await _schema.MigrateAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var enable = new SqlCommand(SqlServerTrackingScripts.EnableSnapshotIsolationSql, connection) { CommandTimeout = 0 })
            {
                await enable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, SqlServerTrackingScripts.LockSql, cancellationToken).ConfigureAwait(false);
            foreach (var batch in SqlServerTrackingScripts.ProvisionBatches)
            {
                await ExecuteAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            }

            Guid nodeId;
            await using (var register = new SqlCommand(SqlServerTrackingScripts.RegisterNodeSql, connection, transaction))
            {
                register.Parameters.Add(new SqlParameter("@node_id", SqlDbType.UniqueIdentifier) { Value = Guid.CreateVersion7(_timeProvider.GetUtcNow()) });
                nodeId = (Guid)(await register.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return nodeId;
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "provisioning change tracking");
        }
    }

    public async Task DeprovisionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, SqlServerTrackingScripts.LockSql, cancellationToken).ConfigureAwait(false);
            foreach (var batch in SqlServerTrackingScripts.DeprovisionBatches)
            {
                await ExecuteAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "deprovisioning change tracking");
        }
    }

    public async Task<Guid> GetNodeIdAsync(CancellationToken cancellationToken)
    {
        object? nodeId;
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new SqlCommand(SqlServerTrackingScripts.NodeIdSql, connection);
            nodeId = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "reading the node id");
        }

        return nodeId is Guid id ? id : throw NotProvisioned();
    }

    public async Task SetBaseCaptureAsync(IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var numbers = tables.Select(t => (int)SqlServerTrackedTable.For(t).Number).Distinct().Order().ToList();
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (var command = new SqlCommand(SqlServerTrackingScripts.SetBaseCaptureSql, connection, transaction))
            {
                command.Parameters.Add(new SqlParameter("@tables", SqlDbType.NVarChar, -1) { Value = JsonSerializer.Serialize(numbers) });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "setting the tables whose base rows are kept");
        }
    }

    internal static SyncConfigurationException NotProvisioned() => new(
        "This SQL Server database is not provisioned for sync (no unionsync_node row): provision it first (IChangeTracker.ProvisionAsync).");

    private static async Task ExecuteAsync(SqlConnection connection, SqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The data source is SqlClientFactory's own (see SqlServerProviderFactory), so its connections are SqlConnections.
    private async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        (SqlConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
