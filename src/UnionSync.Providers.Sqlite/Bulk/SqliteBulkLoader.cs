using Microsoft.Data.Sqlite;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>SQLite's bulk path: one connection, one <c>BEGIN IMMEDIATE</c> transaction, one prepared INSERT per table.</summary>
internal sealed class SqliteBulkLoader : IBulkLoader
{
    private readonly SqliteFileDataSource _dataSource;

    public SqliteBulkLoader(SqliteFileDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // deferred: false is BEGIN IMMEDIATE: the write lock now, so that no reader-turned-writer fails later with SQLITE_BUSY.
            var transaction = connection.BeginTransaction(deferred: false);
            return new SqliteBulkLoadTransaction(connection, transaction);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
