using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Retention;

/// <summary>
/// The bulk load of a reinitialise: <see cref="SqlServerBulkLoadTransaction"/> (SqlBulkCopy fires the triggers) on a
/// session whose context makes them stand aside; the context is reset before commit.
/// </summary>
internal sealed class SqlServerReloadTransaction : IBulkLoadTransaction
{
    private readonly SqlServerBulkLoadTransaction _load;
    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;

    public SqlServerReloadTransaction(SqlServerBulkLoadTransaction load, SqlConnection connection, SqlTransaction transaction)
    {
        _load = load;
        _connection = connection;
        _transaction = transaction;
    }

    public Task<IBulkTableWriter> OpenTableAsync(TableDescription table, CancellationToken cancellationToken) => _load.OpenTableAsync(table, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var end = new SqlCommand(SqlServerApplySql.EndSql, _connection, _transaction);
            await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException ex)
        {
            throw SqlServerErrorTranslator.Translate(ex, "committing a reload");
        }

        await _load.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _load.DisposeAsync();
}
