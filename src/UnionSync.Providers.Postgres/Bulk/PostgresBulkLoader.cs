using Npgsql;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Bulk;

/// <summary>PostgreSQL's bulk path: binary COPY straight into each target table, all inside one transaction.</summary>
internal sealed class PostgresBulkLoader : IBulkLoader
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresBulkLoader(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IBulkLoadTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresBulkLoadTransaction(connection, transaction);
        }
        catch (NpgsqlException ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw PostgresErrorTranslator.Translate(ex, table: null);
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
