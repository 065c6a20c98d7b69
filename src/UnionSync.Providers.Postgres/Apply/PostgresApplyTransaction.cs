using Npgsql;
using NpgsqlTypes;
using UnionSync.Providers.Postgres.Metadata;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>
/// One batch's write transaction (docs/sync-engine.md §5) on one connection. The rows read by
/// <see cref="ReadCurrentAsync"/> are locked until the end, so a concurrent local writer cannot slip between the checks
/// and the merge. Disposing without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
internal sealed class PostgresApplyTransaction : IApplyTransaction
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresSyncMetadata _metadata;
    private readonly PostgresApplyLookups _lookups;
    private readonly HashSet<string> _stagingTables = [];
    private long _receivedOrigin;
    private bool _disposed;

    public PostgresApplyTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresSyncMetadata metadata)
    {
        _connection = connection;
        _transaction = transaction;
        _metadata = metadata;
        _lookups = new PostgresApplyLookups(Command);
    }

    public async Task<bool> IsBatchAppliedAsync(BatchId batch, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresApplySql.IsBatchAppliedSql);
        AddBatch(command, batch);
        return (bool)(await ExecuteAsync(c => c.ExecuteScalarAsync(cancellationToken), command, null).ConfigureAwait(false))!;
    }

    public async Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresApplySql.RecordBatchSql);
        AddBatch(command, batch);
        await ExecuteAsync(c => c.ExecuteNonQueryAsync(cancellationToken), command, null).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<Guid, CurrentRow>> ReadCurrentAsync(
        TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        var sql = PostgresApplySql.For(table);
        var result = new Dictionary<Guid, CurrentRow>(keys.Count);
        if (keys.Count == 0)
        {
            return result;
        }

        var keyArray = keys.ToArray();
        await using (var lockRows = Command(sql.LockSql))
        {
            lockRows.Parameters.Add(Keys(keyArray));
            await ExecuteAsync(c => c.ExecuteNonQueryAsync(cancellationToken), lockRows, table.Name).ConfigureAwait(false);
        }

        // Local writes of these rows committed before the lock go into their tracking rows now: what is read next is
        // current, and this transaction's writes of the rows come after them. No writer can add to them until commit.
        await using (var fold = Command(PostgresChangeLog.FoldKeysSql(PostgresTrackedTable.For(table).Number)))
        {
            fold.Parameters.Add(Keys(keyArray));
            await ExecuteAsync(c => c.ExecuteNonQueryAsync(cancellationToken), fold, table.Name).ConfigureAwait(false);
        }

        await using var command = Command(sql.ReadCurrentSql);
        command.Parameters.Add(Keys(keyArray));
        var reader = await ExecuteAsync(c => c.ExecuteReaderAsync(cancellationToken), command, table.Name).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var deleted = reader.GetBoolean(1);
                result[reader.GetGuid(0)] = new CurrentRow(
                    PostgresIdentities.Read(reader, 2),
                    reader.IsDBNull(4) ? null : reader.GetGuid(4),
                    deleted,
                    deleted ? null : PostgresIdentities.ReadValues(reader, table, PostgresApplySql.CurrentValuesOrdinal),
                    reader.GetInt64(5));
            }
        }

        return result;
    }

    public Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken) =>
        PostgresSubtree.ReadAsync(_connection, _transaction, root, cancellationToken);

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

    private async Task ApplyAsync(
        TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, bool fromChild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(changes);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var batch = LastPerKey(table, changes);
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var change in batch)
        {
            _receivedOrigin = Math.Max(_receivedOrigin, change.Origin?.Version ?? 0);
        }

        var sql = PostgresApplySql.For(table);
        try
        {
            await StageAsync(sql, table, batch, cancellationToken).ConfigureAwait(false);

            await using var merge = new NpgsqlBatch(_connection, _transaction);
            foreach (var text in fromChild ? sql.MergeFromChildSql : sql.MergeSql)
            {
                var command = new NpgsqlBatchCommand(text);
                if (text.Contains("@peer", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new NpgsqlParameter("peer", NpgsqlDbType.Uuid) { Value = sourcePeer });
                }

                merge.BatchCommands.Add(command);
            }

            await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table.Name);
        }
    }

    public async Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        var keyArray = keys.ToArray();
        await using var batch = new NpgsqlBatch(_connection, _transaction);

        // A local delete of a key not folded yet is a tombstone the removal must see (its organisation is logged as the move's).
        var fold = new NpgsqlBatchCommand(PostgresChangeLog.FoldKeysSql(PostgresTrackedTable.For(table).Number));
        fold.Parameters.Add(Keys(keyArray));
        batch.BatchCommands.Add(fold);
        foreach (var text in PostgresApplySql.For(table).RemoveLocallySql)
        {
            var command = new NpgsqlBatchCommand(text);
            command.Parameters.Add(Keys(keyArray));
            batch.BatchCommands.Add(command);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table.Name);
        }
    }

    /// <summary>
    /// Stages the upserts (with every column of <paramref name="table"/>) and fills the added columns from them where the
    /// row holds NULL, set-based. The triggers stand aside (<c>unionsync.applying</c>), and nothing here writes a
    /// tracking row or takes a version: a backfill is not a change.
    /// </summary>
    public async Task FillColumnsAsync(TableDescription table, IReadOnlyList<RowChange> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sql = PostgresApplySql.For(table);
        if (sql.FillSql is null)
        {
            return;
        }

        var upserts = LastPerKey(table, [.. rows.Where(r => r.Kind == ChangeKind.Upsert)]);
        if (upserts.Count == 0)
        {
            return;
        }

        try
        {
            await StageAsync(sql, table, upserts, cancellationToken).ConfigureAwait(false);
            await using var fill = Command(sql.FillSql);
            await fill.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table.Name);
        }
    }

    public async Task DropBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = Command(PostgresApplySql.For(table).DropBaseRowsSql);
        command.Parameters.Add(Keys(keys.ToArray()));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table.Name);
        }
    }

    public async Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken)
    {
        try
        {
            await _metadata.InsertConflictAsync(_connection, _transaction, conflict, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, "unionsync_conflicts");
        }
    }

    public async Task<bool> DecideConflictAsync(long id, string outcome, CancellationToken cancellationToken)
    {
        try
        {
            return await _metadata.DecideConflictAsync(_connection, _transaction, id, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, "unionsync_conflicts");
        }
    }

    public async Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken)
    {
        // The node row stays locked until the commit: versions this node writes as its own are rare (merges, decisions).
        await using var command = Command(PostgresApplySql.NextOwnVersionSql);
        command.Parameters.Add(new NpgsqlParameter("above", NpgsqlDbType.Bigint) { Value = above });
        var version = (long)(await ExecuteAsync(c => c.ExecuteScalarAsync(cancellationToken), command, null).ConfigureAwait(false))!;
        _receivedOrigin = Math.Max(_receivedOrigin, version);
        return version;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            // The HLC receive rule: a local write after this commit gets a larger origin version than any applied here.
            // Last, so that the node row is locked only for the commit (concurrent batches queue here, not earlier).
            if (_receivedOrigin > 0)
            {
                await using var raise = Command(PostgresApplySql.RaiseHlcFloorSql);
                raise.Parameters.Add(new NpgsqlParameter("floor", NpgsqlDbType.Bigint) { Value = _receivedOrigin });
                await raise.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }
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
            // Without a commit, disposing the transaction rolls it back (staging tables included).
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Creates this table's staging temp table on first use in the transaction (empties it after), then copies the changes in.</summary>
    private async Task StageAsync(PostgresApplySql sql, TableDescription table, List<RowChange> changes, CancellationToken cancellationToken)
    {
        await using (var stage = Command(_stagingTables.Add(sql.StageTable) ? sql.CreateStageSql : sql.TruncateStageSql))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresStagingWriter.WriteAsync(_connection, sql, table, changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A key may appear once in a merge: the last change of each key wins, in the batch's order.</summary>
    private static List<RowChange> LastPerKey(TableDescription table, IReadOnlyList<RowChange> changes)
    {
        var index = new Dictionary<Guid, int>(changes.Count);
        var result = new List<RowChange>(changes.Count);
        foreach (var change in changes)
        {
            if (!ReferenceEquals(change.Table, table) && change.Table.Name != table.Name)
            {
                throw new ArgumentException($"A change of table {change.Table} is in a batch of table {table}.", nameof(changes));
            }

            if (change.Kind == ChangeKind.Upsert && change.Values is null)
            {
                throw new ArgumentException($"An upsert of table {table} carries no values.", nameof(changes));
            }

            if (change.Kind == ChangeKind.Upsert && change.Values!.Length != table.Columns.Count)
            {
                throw new ArgumentException(
                    $"An upsert of table {table} carries {change.Values.Length} values; the description applied with has {table.Columns.Count} columns " +
                    $"({table.Signature}).",
                    nameof(changes));
            }

            if (index.TryGetValue(change.Key, out var at))
            {
                result[at] = change;
            }
            else
            {
                index[change.Key] = result.Count;
                result.Add(change);
            }
        }

        return result;
    }

    internal static NpgsqlParameter Keys(Guid[] keys) => new("keys", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys };

    private static void AddBatch(NpgsqlCommand command, BatchId batch)
    {
        command.Parameters.Add(new NpgsqlParameter("session", NpgsqlDbType.Uuid) { Value = batch.Session });
        command.Parameters.Add(new NpgsqlParameter("direction", NpgsqlDbType.Text) { Value = batch.Direction == SyncDirection.Upload ? "upload" : "download" });
        command.Parameters.Add(new NpgsqlParameter("batch", NpgsqlDbType.Integer) { Value = batch.Number });
    }

    internal static async Task<T> ExecuteAsync<T>(Func<NpgsqlCommand, Task<T>> run, NpgsqlCommand command, string? table)
    {
        try
        {
            return await run(command).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table);
        }
    }

    private NpgsqlCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new NpgsqlCommand(sql, _connection, _transaction);
    }
}
