using Microsoft.Data.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>Opens snapshots: one connection, one deferred read transaction whose first read is the watermark.</summary>
internal sealed class SqliteChangeReader : IChangeReader
{
    private readonly SqliteFileDataSource _dataSource;

    public SqliteChangeReader(SqliteFileDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteTransaction? transaction = null;
        try
        {
            // A deferred BEGIN takes its read snapshot at the first read: the watermark, read here, inside it.
            transaction = connection.BeginTransaction(deferred: true);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SqliteVersionSql.NodeTableExists;
            if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                throw new SyncConfigurationException("This SQLite database is not provisioned for sync (no unionsync_node table); provision it first.");
            }

            command.CommandText = SqliteVersionSql.SelectNode;
            Guid nodeId;
            long watermark;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new SyncConfigurationException("unionsync_node holds no row: deprovision and provision the database again.");
                }

                nodeId = SqliteStoredForm.ParseUuid(reader.GetString(0));
                watermark = reader.GetInt64(1);
            }

            return new SqliteChangeSnapshot(connection, transaction, nodeId, watermark);
        }
        catch (Exception ex)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is SqliteException sqlite)
            {
                throw SqliteErrorTranslator.Translate(sqlite, table: null);
            }

            throw;
        }
    }
}
