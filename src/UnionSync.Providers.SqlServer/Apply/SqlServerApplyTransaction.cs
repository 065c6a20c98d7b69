using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Metadata;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>
/// One batch's write transaction (docs/sync-engine.md §5) on SQL Server: <c>XACT_ABORT</c> on, so any error dooms the
/// whole batch; the triggers stand aside through <c>SESSION_CONTEXT(N'unionsync.applying')</c>, which is reset before
/// commit and when the transaction is abandoned (session context is not rolled back). Disposing without
/// <see cref="CommitAsync"/> rolls everything back, batch record included.
/// </summary>
internal sealed class SqlServerApplyTransaction : IApplyTransaction
{
    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;
    private readonly SqlServerSyncMetadata _metadata;
    private readonly SqlServerApplyLookups _lookups;
    private readonly HashSet<string> _stagingTables = new(StringComparer.Ordinal);
    private long _receivedOrigin;
    private bool _committed;
    private bool _disposed;

    private SqlServerApplyTransaction(SqlConnection connection, SqlTransaction transaction, SqlServerSyncMetadata metadata)
    {
        _connection = connection;
        _transaction = transaction;
        _metadata = metadata;
        _lookups = new SqlServerApplyLookups(Command);
    }

    public static async Task<SqlServerApplyTransaction> BeginAsync(DbDataSource dataSource, SqlServerSyncMetadata metadata, CancellationToken cancellationToken)
    {
        SqlConnection? connection = null;
        SqlTransaction? transaction = null;
        try
        {
            connection = (SqlConnection)await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (var begin = new SqlCommand(SqlServerApplySql.BeginSql, connection, transaction))
            {
                await begin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new SqlServerApplyTransaction(connection, transaction, metadata);
        }
        catch (Exception exception)
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw exception is SqlException sqlException ? SqlServerErrorTranslator.Translate(sqlException, "beginning an apply transaction") : exception;
        }
    }

    public async Task<bool> IsBatchAppliedAsync(BatchId batch, CancellationToken cancellationToken)
    {
        await using var command = Command(SqlServerApplySql.BatchAppliedSql);
        AddBatchParameters(command, batch);
        return await RunAsync(async () => (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0, "checking a batch record")
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<Guid, CurrentRow>> ReadCurrentAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqlServerTrackedTable.For(table);
        var result = new Dictionary<Guid, CurrentRow>(keys.Count);
        if (keys.Count == 0)
        {
            return result;
        }

        await using var command = Command(SqlServerApplySql.For(tracked).CurrentSql);
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", keys));
        await RunAsync(
            async () =>
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetGuid(0)] = SqlServerTrackedRows.ReadCurrent(reader, table);
                }

                return true;
            },
            $"reading current rows of {tracked}").ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken)
    {
        await using var command = Command(SqlServerChangeSql.SubtreeSql);
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@root", root));
        return await SqlServerChangeSnapshot.ReadSubtreeAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken) =>
        _lookups.ReadInSubtreeAsync(root, organizations, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken) =>
        _lookups.ReadMemberOrganizationsAsync(memberKeys, cancellationToken);

    public Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken) =>
        _lookups.FindByNaturalKeyAsync(table, values, cancellationToken);

    public Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken) =>
        _lookups.ReadMovesAsync(table, keys, since, cancellationToken);

    public Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken) =>
        ApplyAsync(table, changes, sourcePeer, fromChild: false, cancellationToken);

    public Task ApplyFromChildAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken) =>
        ApplyAsync(table, changes, sourcePeer, fromChild: true, cancellationToken);

    public async Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqlServerTrackedTable.For(table);
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = Command(SqlServerApplySql.RemoveLocallySql);
        command.Parameters.Add(new SqlParameter("@tbl", SqlDbType.TinyInt) { Value = tracked.Number });
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", keys));
        await RunAsync(async () => await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), $"removing rows of {tracked} locally")
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stages the upserts (with every column of <paramref name="table"/>) and fills the added columns from them where the
    /// row holds NULL, set-based. The triggers stand aside (session context <c>unionsync.applying</c>), and nothing here
    /// writes a tracking row or takes a version: a backfill is not a change.
    /// </summary>
    public async Task FillColumnsAsync(TableDescription table, IReadOnlyList<RowChange> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tracked = SqlServerTrackedTable.For(table);
        var sql = SqlServerApplySql.For(tracked);
        if (sql.FillSql is not { } fillSql)
        {
            return;
        }

        var (upserts, _) = SqlServerApplyBatch.LastPerKey(tracked.Table, [.. rows.Where(r => r.Kind == ChangeKind.Upsert)]);
        if (upserts.Count == 0)
        {
            return;
        }

        await RunAsync(
            async () =>
            {
                await StageAsync(sql, upserts, cancellationToken).ConfigureAwait(false);
                await using var fill = Command(fillSql);
                await fill.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            $"filling added columns of {tracked}").ConfigureAwait(false);
    }

    public async Task DropBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (keys.Count == 0)
        {
            return;
        }

        var tracked = SqlServerTrackedTable.For(table);
        await using var command = Command(SqlServerApplySql.For(tracked).DropBaseRowsSql);
        command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", keys));
        await RunAsync(
            async () =>
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            $"dropping base rows of {tracked}").ConfigureAwait(false);
    }

    public async Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await RunAsync(
            async () =>
            {
                await _metadata.InsertConflictAsync(_connection, _transaction, conflict, cancellationToken).ConfigureAwait(false);
                return true;
            },
            "recording a conflict").ConfigureAwait(false);
    }

    public async Task<bool> DecideConflictAsync(long id, string outcome, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await RunAsync(
            () => _metadata.DecideConflictAsync(_connection, _transaction, id, outcome, cancellationToken),
            "deciding a queued conflict").ConfigureAwait(false);
    }

    public async Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken)
    {
        await using var command = Command(SqlServerApplySql.RecordBatchSql);
        AddBatchParameters(command, batch);
        await RunAsync(async () => await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), "recording a batch").ConfigureAwait(false);
    }

    public async Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The node row stays locked until the commit: versions this node writes as its own are rare (merges, decisions).
        await using var command = Command(SqlServerApplySql.NextOwnVersionSql);
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@above", above));
        var version = await RunAsync(async () => (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, "taking a version of this node's clock")
            .ConfigureAwait(false);
        _receivedOrigin = Math.Max(_receivedOrigin, version);
        return version;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The apply transaction has been committed already.");
        }

        await using var end = Command(SqlServerApplySql.EndSql);
        await RunAsync(
            async () =>
            {
                // The HLC receive rule: a local write after this commit gets a larger origin version than any applied here.
                // Last, so that the node row (which the triggers read) is locked only for the commit.
                if (_receivedOrigin > 0)
                {
                    await using var raise = Command(SqlServerApplySql.RaiseHlcFloorSql);
                    raise.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@floor", _receivedOrigin));
                    await raise.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            "committing an apply transaction").ConfigureAwait(false);
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
            if (!_committed)
            {
                await AbandonAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, bool fromChild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tracked = SqlServerTrackedTable.For(table);
        var (applied, removed) = SqlServerApplyBatch.LastPerKey(tracked.Table, changes);
        foreach (var change in applied)
        {
            _receivedOrigin = Math.Max(_receivedOrigin, change.Origin?.Version ?? 0);
        }

        if (applied.Count > 0)
        {
            var sql = SqlServerApplySql.For(tracked);
            await RunAsync(
                async () =>
                {
                    await StageAsync(sql, applied, cancellationToken).ConfigureAwait(false);
                    await using var apply = Command(fromChild ? sql.ApplyFromChildSql : sql.ApplySql);
                    apply.Parameters.Add(SqlServerTrackedRows.GuidParameter("@peer", sourcePeer));
                    await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                },
                $"applying changes of {tracked}").ConfigureAwait(false);
        }

        if (removed.Count > 0)
        {
            await RemoveLocallyAsync(tracked.Table, removed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the table's staging temp table on first use in the transaction (empties it after), then bulk-copies the changes in.</summary>
    private async Task StageAsync(SqlServerApplySql sql, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        await using (var stage = Command(_stagingTables.Add(sql.StageTable) ? sql.CreateStageSql : sql.TruncateStageSql))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SqlServerStagingTable.WriteAsync(_connection, _transaction, sql, changes, cancellationToken).ConfigureAwait(false);
    }

    private static void AddBatchParameters(SqlCommand command, BatchId batch)
    {
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@session_id", batch.Session));
        command.Parameters.Add(new SqlParameter("@direction", SqlDbType.NVarChar, 16) { Value = batch.Direction == SyncDirection.Upload ? "upload" : "download" });
        command.Parameters.Add(new SqlParameter("@batch_no", SqlDbType.Int) { Value = batch.Number });
    }

    internal static async Task<T> RunAsync<T>(Func<Task<T>> action, string operation)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, operation);
        }
    }

    private async Task AbandonAsync()
    {
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqlException or InvalidOperationException)
        {
            // Already rolled back by the server (XACT_ABORT, broken connection).
        }

        try
        {
            await using var end = new SqlCommand(SqlServerApplySql.EndSql, _connection);
            await end.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqlException or InvalidOperationException)
        {
            // The connection is gone; a pooled connection's session context is cleared when it is reset anyway.
        }
    }

    private SqlCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The apply transaction has been committed; begin a new one.");
        }

        return new SqlCommand(sql, _connection, _transaction) { CommandTimeout = 0 };
    }
}
