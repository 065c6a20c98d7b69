using Microsoft.Data.Sqlite;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>
/// SQLite's bulk path: one connection, one <c>BEGIN IMMEDIATE</c> transaction, one prepared INSERT per table; a rollback
/// journal instead of WAL where the file allows (<see cref="SqliteLoadJournal"/>), indexes of empty tables built after
/// their rows (<see cref="SqliteDeferredIndexes"/>).
/// </summary>
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

    public Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken) => BeginAsync(verbatimCopy: false, cancellationToken);

    /// <summary>Rows a peer's same constraints admitted: the CHECK constraints are not evaluated again (<see cref="PrepareAsync"/>).</summary>
    public Task<IBulkLoadTransaction> BeginCopyAsync(CancellationToken cancellationToken) => BeginAsync(verbatimCopy: true, cancellationToken);

    /// <summary>
    /// Sets a load connection up: the load's page cache, and for a verbatim copy <c>ignore_check_constraints</c>. The
    /// schema's CHECKs (UUID, date and timestamp shapes by GLOB and a date round trip, enumerations, ranges) cost more than
    /// half of an insert; rows copied from a peer passed the same checks there, and the typed writer gives every UUID, date
    /// and timestamp its canonical form. Keys, foreign keys, NOT NULL and STRICT types are still enforced.
    /// <see cref="ResetAsync"/> sets both back before the connection returns to the pool.
    /// </summary>
    internal static async Task PrepareAsync(SqliteConnection connection, bool verbatimCopy, CancellationToken cancellationToken)
    {
        await SetCacheSizeAsync(connection, LoadCacheKibibytes, cancellationToken).ConfigureAwait(false);
        if (verbatimCopy)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA ignore_check_constraints = ON";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task ResetAsync(SqliteConnection connection)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA ignore_check_constraints = OFF";
        await pragma.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        await SetCacheSizeAsync(connection, DefaultCacheKibibytes, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<IBulkLoadTransaction> BeginAsync(bool verbatimCopy, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var leftWal = false;
        try
        {
            await PrepareAsync(connection, verbatimCopy, cancellationToken).ConfigureAwait(false);
            leftWal = await SqliteLoadJournal.TryLeaveWalAsync(_dataSource, connection, cancellationToken).ConfigureAwait(false);

            // deferred: false is BEGIN IMMEDIATE: the write lock now, so that no reader-turned-writer fails later with SQLITE_BUSY.
            var transaction = connection.BeginTransaction(deferred: false);
            return new SqliteBulkLoadTransaction(connection, transaction, leftWal ? _dataSource : null);
        }
        catch (SqliteException ex)
        {
            await AbandonAsync(connection, leftWal).ConfigureAwait(false);
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
        catch
        {
            await AbandonAsync(connection, leftWal).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AbandonAsync(SqliteConnection connection, bool leftWal)
    {
        if (leftWal)
        {
            SqliteLoadJournal.ReturnToWal(_dataSource, connection);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    internal static async Task SetCacheSizeAsync(SqliteConnection connection, int kibibytes, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size = -" + kibibytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
