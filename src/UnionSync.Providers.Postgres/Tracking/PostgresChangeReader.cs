using System.Data;
using Npgsql;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>Opens REPEATABLE READ, READ ONLY snapshots whose watermark is the snapshot's <c>xmin</c>.</summary>
internal sealed class PostgresChangeReader : IChangeReader
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresChangeReader(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>
    /// The synced tables' columns from <c>pg_catalog</c> (current schema). An added column syncs as text when it is text,
    /// varchar or char, and as a 64-bit integer when it is smallint, integer or bigint (a domain counts as its base type);
    /// any other type is refused, naming the column.
    /// </summary>
    public async Task<SyncSchema> DescribeAsync(CancellationToken cancellationToken)
    {
        var columns = new List<CatalogColumn>();
        string database;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            database = $"PostgreSQL database {connection.Database}";
            await using var command = new NpgsqlCommand(PostgresChangeSql.CatalogSql, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(new CatalogColumn(reader.GetString(0), reader.GetString(1), SyncType(reader.GetString(2)), reader.GetString(3), reader.GetBoolean(4)));
            }
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }

        return SyncSchema.FromCatalog(columns, database);
    }

    public async Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // Local writes committed so far go into the tracking rows first, in a transaction of their own that commits
            // before the snapshot is taken, so the snapshot sees them.
            await PostgresChangeLog.FoldPendingAsync(connection, cancellationToken).ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            // No JIT: a change query's recursive scope CTE is costed far above what it reads (a few rows per change), and
            // compiling it took 50 to 480 ms on a 4.3 M-member city, more than the query itself.
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY; SET LOCAL jit = off", connection, transaction))
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

    /// <summary>The type an added column of this PostgreSQL type (<c>pg_type.typname</c>) syncs as; null when it does not sync.</summary>
    internal static ColumnType? SyncType(string typeName) => typeName switch
    {
        "text" or "varchar" or "bpchar" => ColumnType.Text,
        "int2" or "int4" or "int8" => ColumnType.BigInt,
        _ => null,
    };
}
