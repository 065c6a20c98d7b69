using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Metadata;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// Begins apply transactions: <c>BEGIN IMMEDIATE</c> (the file's write lock at once), the local change log folded into
/// the tracking rows, then the trigger guard row.
/// </summary>
internal sealed class SqliteChangeApplier : IChangeApplier
{
    private readonly SqliteFileDataSource _dataSource;
    private readonly SqliteSyncMetadata _metadata;

    public SqliteChangeApplier(SqliteFileDataSource dataSource, SqliteSyncMetadata metadata)
    {
        _dataSource = dataSource;
        _metadata = metadata;
    }

    public async Task<IApplyTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteTransaction? transaction = null;
        try
        {
            transaction = connection.BeginTransaction(deferred: false);

            // Local writes logged since the last fold become tracking rows first: the decisions read them. The guard
            // comes after, as it marks where the log stood (the fold empties it).
            await SqliteChangeLog.FoldAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await using (var guard = connection.CreateCommand())
            {
                guard.Transaction = transaction;
                guard.CommandText = SqliteApplySql.InsertGuard;
                await guard.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new SqliteApplyTransaction(new SqliteApplyContext(connection, transaction), _metadata);
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
