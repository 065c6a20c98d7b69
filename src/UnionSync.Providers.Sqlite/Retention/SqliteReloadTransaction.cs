using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Apply;
using UnionSync.Providers.Sqlite.Bulk;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Retention;

/// <summary>
/// The bulk load of a reinitialise: <see cref="SqliteBulkLoadTransaction"/> on a transaction that holds the trigger
/// guard row and has set the append triggers aside (<see cref="SqliteAppendTriggers"/>), so that the reloaded rows are
/// not captured as local writes. Both come back just before commit, so no other connection ever sees them otherwise;
/// disposing without commit rolls them back with the rows.
/// </summary>
internal sealed class SqliteReloadTransaction : IBulkLoadTransaction
{
    private readonly SqliteBulkLoadTransaction _load;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly IReadOnlyList<string> _triggers;

    public SqliteReloadTransaction(SqliteBulkLoadTransaction load, SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> triggers)
    {
        _load = load;
        _connection = connection;
        _transaction = transaction;
        _triggers = triggers;
    }

    public Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken) => _load.OpenTableAsync(table, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SqliteAppendTriggers.RestoreAsync(_connection, _transaction, _triggers, cancellationToken).ConfigureAwait(false);
            await using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = SqliteApplySql.DeleteGuard;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }

        await _load.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _load.DisposeAsync();
}
