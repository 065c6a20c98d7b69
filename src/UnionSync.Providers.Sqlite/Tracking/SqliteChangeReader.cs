using Microsoft.Data.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// Opens snapshots: one connection; the local change log folded first (unless the file is opened read-only: its pending
/// writes then wait for a later snapshot, above this one's watermark); one deferred read transaction whose first read is
/// the watermark.
/// </summary>
internal sealed class SqliteChangeReader : IChangeReader
{
    private readonly SqliteFileDataSource _dataSource;

    public SqliteChangeReader(SqliteFileDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>
    /// The synced tables' columns from <c>pragma_table_info</c>. The data tables are STRICT, so an added column is TEXT
    /// (synced as text) or INTEGER/INT (synced as a 64-bit integer); REAL, BLOB and ANY do not sync.
    /// </summary>
    public async Task<SyncSchema> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteVersionSql.Columns;
        var columns = new List<CatalogColumn>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var declared = reader.GetString(2);
                ColumnType? type = declared.ToUpperInvariant() switch
                {
                    "TEXT" => ColumnType.Text,
                    "INTEGER" or "INT" => ColumnType.BigInt,
                    _ => null,
                };
                columns.Add(new CatalogColumn(reader.GetString(0), reader.GetString(1), type, declared, reader.GetInt64(3) == 0));
            }
        }

        return SyncSchema.FromCatalog(columns, $"SQLite database {connection.DataSource}");
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteTransaction? transaction = null;
        try
        {
            if (!_dataSource.IsReadOnly)
            {
                await SqliteChangeLog.FoldPendingAsync(connection, cancellationToken).ConfigureAwait(false);
            }

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
