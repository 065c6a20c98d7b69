using Microsoft.Data.Sqlite;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>SQLite's bulk path: one connection, one <c>BEGIN IMMEDIATE</c> transaction, one prepared INSERT per table.</summary>
internal sealed class SqliteBulkLoader : IBulkLoader
{
    /// <summary>
    /// The page cache of a load, in KiB (negative <c>cache_size</c>). At the default 2 MiB a load of a million members
    /// misses the cache on every random index page (id_number, name); 64 MiB keeps the indexes' upper levels resident.
    /// It is an upper bound, allocated as used, and set back when the load ends (the connection returns to the pool).
    /// </summary>
    internal const int LoadCacheKibibytes = 65_536;

    internal const int DefaultCacheKibibytes = 2_000;

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
            await SetCacheSizeAsync(connection, LoadCacheKibibytes, cancellationToken).ConfigureAwait(false);

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

    internal static async Task SetCacheSizeAsync(SqliteConnection connection, int kibibytes, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size = -" + kibibytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
