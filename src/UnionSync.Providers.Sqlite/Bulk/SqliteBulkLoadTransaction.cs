using Microsoft.Data.Sqlite;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>
/// A bulk load in one SQLite transaction; each table is written under a savepoint so that an aborted table leaves the
/// rest. A table that starts empty is written without its indexes, which are built once its rows are in (<see cref="SqliteDeferredIndexes"/>).
/// </summary>
internal sealed class SqliteBulkLoadTransaction : IBulkLoadTransaction
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteFileDataSource? _walToRestore;
    private SqliteBulkTableWriter? _current;
    private bool _committed;
    private bool _disposed;

    /// <param name="walToRestore">The file's data source when the load left WAL for it (<see cref="SqliteLoadJournal"/>): WAL is set back at dispose.</param>
    public SqliteBulkLoadTransaction(SqliteConnection connection, SqliteTransaction transaction, SqliteFileDataSource? walToRestore)
    {
        _connection = connection;
        _transaction = transaction;
        _walToRestore = walToRestore;
    }

    /// <summary>The load's connection and transaction, to look at the file as the load sees it (tests).</summary>
    internal (SqliteConnection Connection, SqliteTransaction Transaction) Session => (_connection, _transaction);

    public async Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_committed)
        {
            throw new InvalidOperationException("The bulk load is committed; begin another one to write more rows.");
        }

        if (_current is { IsOpen: true })
        {
            throw new InvalidOperationException($"Complete or dispose the writer of table {_current.Table} before opening table {table}.");
        }

        try
        {
            _transaction.Save(SqliteBulkTableWriter.SavepointName);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table.Name);
        }

        try
        {
            var deferred = await SqliteDeferredIndexes.DropIfEmptyAsync(_connection, _transaction, table.Name, cancellationToken).ConfigureAwait(false);
            _current = new SqliteBulkTableWriter(_connection, _transaction, table, deferred);
        }
        catch (SqliteException ex)
        {
            AbandonTable();
            throw SqliteErrorTranslator.Translate(ex, table.Name);
        }
        catch
        {
            AbandonTable();
            throw;
        }

        return _current;
    }

    /// <summary>Nothing of the table is written yet: its savepoint goes, any index already dropped with it.</summary>
    private void AbandonTable()
    {
        try
        {
            _transaction.Rollback(SqliteBulkTableWriter.SavepointName);
            _transaction.Release(SqliteBulkTableWriter.SavepointName);
        }
        catch (SqliteException)
        {
            // The transaction is gone (connection broken or rolled back): there is nothing left to undo.
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is { IsOpen: true })
        {
            throw new InvalidOperationException($"Complete or dispose the writer of table {_current.Table} before committing.");
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }

        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_current is not null)
        {
            await _current.DisposeAsync().ConfigureAwait(false);
        }

        // Disposing an uncommitted SqliteTransaction rolls it back.
        await _transaction.DisposeAsync().ConfigureAwait(false);
        try
        {
            if (_walToRestore is not null)
            {
                SqliteLoadJournal.ReturnToWal(_walToRestore, _connection);
            }

            await SqliteBulkLoader.ResetAsync(_connection).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // A broken connection: the pool does not keep it, so its settings go with it.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
