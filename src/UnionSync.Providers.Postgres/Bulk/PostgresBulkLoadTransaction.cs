using Npgsql;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Bulk;

/// <summary>A bulk load in one PostgreSQL transaction; each table's COPY runs under a savepoint so that an aborted table leaves the rest.</summary>
internal sealed class PostgresBulkLoadTransaction : IBulkLoadTransaction
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private PostgresBulkTableWriter? _current;
    private bool _committed;
    private bool _disposed;

    public PostgresBulkLoadTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The bulk load is committed; begin another one to write more rows.");
        }

        if (_current is { IsOpen: true })
        {
            throw new InvalidOperationException($"Complete or dispose the writer of table {_current.Table} before opening table {table}.");
        }

        _current = await PostgresBulkTableWriter.OpenAsync(_connection, _transaction, table, cancellationToken).ConfigureAwait(false);
        return _current;
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
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
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
        try
        {
            if (_current is not null)
            {
                await _current.DisposeAsync().ConfigureAwait(false);
            }

            // Disposing an uncommitted NpgsqlTransaction rolls it back.
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
