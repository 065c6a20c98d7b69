using Npgsql;
using UnionSync.Providers.Postgres.Metadata;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>Begins apply transactions: READ COMMITTED, with <c>unionsync.applying</c> set so the tracking triggers stand aside.</summary>
internal sealed class PostgresChangeApplier : IChangeApplier
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSyncMetadata _metadata;

    public PostgresChangeApplier(NpgsqlDataSource dataSource, PostgresSyncMetadata metadata)
    {
        _dataSource = dataSource;
        _metadata = metadata;
    }

    public async Task<IApplyTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // The local writes committed so far go into the tracking rows before the batch, in a transaction of their own:
            // the log stays short, and the batch's own fold of the rows it locks (ReadCurrentAsync) reads little.
            await PostgresChangeLog.FoldPendingAsync(connection, cancellationToken).ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(PostgresApplySql.ApplyingSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = new PostgresApplyTransaction(connection, transaction, _metadata);
            connection = null;
            transaction = null;
            return result;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
