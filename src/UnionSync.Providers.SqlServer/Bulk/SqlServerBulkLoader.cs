using System.Data.Common;
using Microsoft.Data.SqlClient;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>SQL Server's bulk path: SqlBulkCopy straight into the target tables, inside one <see cref="SqlTransaction"/>.</summary>
internal sealed class SqlServerBulkLoader : IBulkLoader
{
    private readonly DbDataSource _dataSource;

    public SqlServerBulkLoader(DbDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // The data source is SqlClientFactory's own (see SqlServerProviderFactory), so its connections are SqlConnections.
            var sqlConnection = (SqlConnection)connection;
            var transaction = (SqlTransaction)await sqlConnection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqlServerBulkLoadTransaction(sqlConnection, transaction);
        }
        catch (SqlException exception)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw SqlServerErrorTranslator.Translate(exception, "opening a bulk load");
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
