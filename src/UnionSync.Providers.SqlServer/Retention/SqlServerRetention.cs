using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Metadata;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Retention;

/// <summary>
/// Retention on SQL Server (<see cref="SqlServerRetentionSql"/>). Times travel as <see cref="DateTimeOffset"/>, as in
/// <c>SqlServerSyncMetadata</c>, so that they keep the microseconds of the <c>datetime2(6)</c> columns.
/// </summary>
internal sealed class SqlServerRetention : SqlRetention
{
    private readonly TimeProvider _timeProvider;

    public SqlServerRetention(DbDataSource dataSource, IChangeTracker tracking, TimeProvider timeProvider)
        : base(dataSource, tracking)
    {
        _timeProvider = timeProvider;
    }

    protected override string TablesExistSql => SqlServerRetentionSql.TablesExistSql;

    protected override string SelectFloorForAdmissionSql => SqlServerRetentionSql.SelectFloorForAdmissionSql;

    protected override string DeleteTombstonesSql => SqlServerRetentionSql.DeleteTombstonesSql;

    protected override string DeleteMovesSql => SqlServerRetentionSql.DeleteMovesSql;

    protected override string DeleteBatchesSql => SqlServerRetentionSql.DeleteBatchesSql;

    public override async Task<IReinitialisation> BeginReinitialiseAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = await BeginAsync(SqlServerRetentionSql.HoldSql, cancellationToken).ConfigureAwait(false);
        return new SqlServerReinitialisation(this, connection, transaction);
    }

    public override async Task<IBulkLoadTransaction> BeginReloadAsync(CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginAsync(SqlServerRetentionSql.ReloadSql, cancellationToken).ConfigureAwait(false);
        return new SqlServerReloadTransaction(new SqlServerBulkLoadTransaction(connection, transaction), connection, transaction);
    }

    /// <summary>Records the floor of a reinitialise inside its transaction.</summary>
    internal async Task WriteReinitialisedFloorAsync(SqlConnection connection, SqlTransaction transaction, long floor, CancellationToken cancellationToken)
    {
        floor = Math.Max(floor, await ReadFloorAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
        await WriteFloorAsync(connection, transaction, floor, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    protected override object SessionBound(DateTimeOffset cutoff) => SessionBoundId(cutoff).ToString("D").ToUpperInvariant();

    protected override object TimestampValue(DateTimeOffset value) => value.ToUniversalTime();

    protected override Exception Translate(DbException exception) =>
        exception is SqlException sql ? SqlServerErrorTranslator.Translate(sql, "retention") : exception;

    private async Task<(SqlConnection Connection, SqlTransaction Transaction)> BeginAsync(string firstSql, CancellationToken cancellationToken)
    {
        SqlConnection? connection = null;
        SqlTransaction? transaction = null;
        try
        {
            connection = (SqlConnection)await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (var command = new SqlCommand(firstSql, connection, transaction) { CommandTimeout = 0 })
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = (connection, transaction);
            connection = null;
            transaction = null;
            return result;
        }
        catch (SqlException ex)
        {
            throw SqlServerErrorTranslator.Translate(ex, "beginning a reinitialise");
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
