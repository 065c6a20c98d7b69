using Microsoft.Data.SqlClient;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>
/// One bulk load: a connection, its transaction and one table writer at a time. Each table starts at a savepoint,
/// so that a writer disposed without completing undoes its own table only; where the server has doomed the
/// transaction instead, the load can no longer commit and is rolled back when disposed.
/// </summary>
internal sealed class SqlServerBulkLoadTransaction : IBulkLoadTransaction
{
    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;
    private SqlServerBulkTableWriter? _currentWriter;
    private string? _doomedBy;
    private bool _committed;
    private bool _disposed;

    public SqlServerBulkLoadTransaction(SqlConnection connection, SqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public async Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfFinished();
        if (_currentWriter is { IsFinished: false } open)
        {
            throw new InvalidOperationException(
                $"The bulk load is still writing table {open.Table.Name}; complete or dispose its writer before opening table {table.Name}.");
        }

        try
        {
            await using var command = CreateCommand(SqlServerStatements.SaveTableSavepointSql);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, $"bulk load of {table.Name}");
        }

        _currentWriter = SqlServerBulkTableWriter.Start(new SqlServerBulkTarget(_connection, _transaction, table), this);
        return _currentWriter;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        if (_currentWriter is { IsFinished: false } open)
        {
            throw new InvalidOperationException($"The bulk load is still writing table {open.Table.Name}; complete its writer before committing.");
        }

        if (_doomedBy is not null)
        {
            throw new InvalidOperationException(
                $"The bulk load cannot commit: the aborted load of table {_doomedBy} could not be undone alone, so the server " +
                "keeps only a rollback of the whole load. Dispose this load and start again.");
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "committing a bulk load");
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
            if (_currentWriter is not null)
            {
                await _currentWriter.DisposeAsync().ConfigureAwait(false);
            }

            if (!_committed)
            {
                await RollbackQuietlyAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Called by an aborted writer once its copy has stopped: undoes that table back to its savepoint.</summary>
    internal async Task RollbackTableAsync(TableDescription table)
    {
        try
        {
            await using var command = CreateCommand(SqlServerStatements.RollbackTableSavepointSql);
            var state = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
            if (state is not short xactState || xactState != 1)
            {
                _doomedBy ??= table.Name;
            }
        }
        catch (Exception exception) when (exception is SqlException or InvalidOperationException)
        {
            // The connection or the transaction is gone (the server rolls an orphaned transaction back): nothing can commit now.
            _doomedBy ??= table.Name;
        }
    }

    private async Task RollbackQuietlyAsync()
    {
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqlException or InvalidOperationException)
        {
            // Already rolled back by the server (doomed transaction, broken connection): closing the connection finishes it.
        }
    }

    private SqlCommand CreateCommand(string sql) => new(sql, _connection, _transaction) { CommandTimeout = 0 };

    private void ThrowIfFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The bulk load has been committed; begin a new one.");
        }
    }
}
