using System.Data;
using Npgsql;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>Opens REPEATABLE READ, READ ONLY snapshots whose watermark is the snapshot's <c>xmin</c>.</summary>
internal sealed class PostgresChangeReader : IChangeReader
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresChangeReader(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // The first statement that reads takes the transaction's snapshot; its xmin is the watermark.
            await using var open = new NpgsqlCommand(PostgresChangeSql.OpenSql, connection, transaction);
            await using var reader = await open.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw PostgresChangeTracker.NotProvisioned();
            }

            var snapshot = new PostgresChangeSnapshot(connection, transaction, reader.GetGuid(0), reader.GetInt64(1));
            connection = null;
            transaction = null;
            return snapshot;
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            throw PostgresChangeTracker.NotProvisioned();
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
