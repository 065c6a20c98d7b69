using Microsoft.Data.Sqlite;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>A bulk load in one SQLite transaction; each table is written under a savepoint so that an aborted table leaves the rest.</summary>
internal sealed class SqliteBulkLoadTransaction : IBulkLoadTransaction
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private SqliteBulkTableWriter? _current;
    private bool _committed;
    private bool _disposed;

    public SqliteBulkLoadTransaction(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken)
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
            _current = new SqliteBulkTableWriter(_connection, _transaction, table);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table.Name);
        }

        return Task.FromResult<IBulkTableWriter>(_current);
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
