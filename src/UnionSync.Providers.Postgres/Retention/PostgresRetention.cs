using System.Data.Common;
using Npgsql;
using UnionSync.Providers.Postgres.Apply;
using UnionSync.Providers.Postgres.Bulk;
using UnionSync.Sync.Metadata;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres.Retention;

/// <summary>
/// Retention on PostgreSQL (docs/sync-engine.md §9). The watermark is a snapshot's <c>xmin</c>: a peer whose checkpoint
/// is <c>W</c> has every change whose transaction id is below <c>W</c>, so a floor <c>F</c> lets tombstones and moves
/// with <c>txid &lt; F</c> go. Transaction ids are not wall-clock order across sessions either, which is why time
/// reaches them only through the marks.
/// </summary>
internal sealed class PostgresRetention : SqlRetention
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;

    public PostgresRetention(NpgsqlDataSource dataSource, IChangeTracker tracking, TimeProvider timeProvider)
        : base(dataSource, tracking)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
    }

    protected override string TablesExistSql =>
        "SELECT (to_regclass('unionsync_watermark_marks') IS NOT NULL)::int + (to_regclass('unionsync_retention') IS NOT NULL)::int";

    protected override string SelectFloorForAdmissionSql => "SELECT purge_floor FROM unionsync_retention WHERE id = 1 FOR SHARE";

    protected override string DeleteTombstonesSql => "DELETE FROM unionsync_tracking WHERE deleted AND txid < (@floor::bigint)::text::xid8";

    protected override string DeleteMovesSql => "DELETE FROM unionsync_moves WHERE txid < (@floor::bigint)::text::xid8";

    /// <summary>uuid compares byte by byte, so a v7 id below the bound started before it.</summary>
    protected override string DeleteBatchesSql =>
        "DELETE FROM unionsync_applied_batches WHERE substring(session_id::text, 15, 1) = '7' AND session_id < @session_bound";

    public override async Task<IReinitialisation> BeginReinitialiseAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = await BeginAsync(PostgresReinitialisation.HoldSql, cancellationToken).ConfigureAwait(false);
        return new PostgresReinitialisation(this, connection, transaction);
    }

    public override async Task<IBulkLoadTransaction> BeginReloadAsync(CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginAsync(PostgresApplySql.ApplyingSql, cancellationToken).ConfigureAwait(false);
        return new PostgresBulkLoadTransaction(connection, transaction);
    }

    /// <summary>Records the floor of a reinitialise inside its transaction.</summary>
    internal async Task WriteReinitialisedFloorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long floor, CancellationToken cancellationToken)
    {
        floor = Math.Max(floor, await ReadFloorAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
        await WriteFloorAsync(connection, transaction, floor, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    protected override Exception Translate(DbException exception) =>
        exception is NpgsqlException npgsql ? PostgresErrorTranslator.Translate(npgsql, table: null) : exception;

    /// <summary>A connection and a READ COMMITTED transaction that has run <paramref name="firstSql"/>; both disposed on failure.</summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> BeginAsync(string firstSql, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand(firstSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = (connection, transaction);
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
