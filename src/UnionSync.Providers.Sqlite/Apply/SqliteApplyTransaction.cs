using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Metadata;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// One batch's write transaction on SQLite. The guard row inserted at the start keeps the tracking triggers quiet; it is
/// deleted just before commit, so no other connection ever sees it. Disposing without commit rolls everything back.
/// </summary>
internal sealed class SqliteApplyTransaction : IApplyTransaction
{
    private readonly SqliteApplyContext _context;
    private readonly SqliteSyncMetadata _metadata;
    private readonly SqliteChangeWriter _writer;
    private readonly SqliteLocalRemover _remover;
    private bool _committed;
    private bool _disposed;

    public SqliteApplyTransaction(SqliteApplyContext context, SqliteSyncMetadata metadata)
    {
        _context = context;
        _metadata = metadata;
        _writer = new SqliteChangeWriter(context);
        _remover = new SqliteLocalRemover(context);
    }

    public Task<bool> IsBatchAppliedAsync(BatchId batch, CancellationToken cancellationToken) =>
        RunAsync(null, async () =>
        {
            var command = BatchCommand(SqliteApplySql.IsBatchApplied, batch);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        });

    public Task RecordBatchAsync(BatchId batch, CancellationToken cancellationToken) =>
        RunAsync(null, async () => await BatchCommand(SqliteApplySql.RecordBatch, batch).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false));

    public Task<IReadOnlyDictionary<Guid, CurrentRow>> ReadCurrentAsync(
        TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, async () =>
        {
            var command = _context.Statements.Get(SqliteApplySql.For(tracked).Current, "@keys");
            var result = new Dictionary<Guid, CurrentRow>(keys.Count);
            foreach (var chunk in keys.Chunk(SqliteJsonArray.Chunk))
            {
                command.Parameters[0].Value = SqliteJsonArray.OfKeys(chunk);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (ReadCurrent(reader, tracked.Table) is { } row)
                    {
                        result[chunk[checked((int)reader.GetInt64(0))]] = row;
                    }
                }
            }

            return (IReadOnlyDictionary<Guid, CurrentRow>)result;
        });
    }

    public Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken) =>
        RunAsync(null, () => SqliteSubtree.ReadAsync(_context.Connection, _context.Transaction, root, cancellationToken));

    public Task<IReadOnlySet<Guid>> ReadInSubtreeAsync(Guid root, IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organizations);
        return RunAsync(SqliteTrackedTable.Organizations.Name, async () =>
        {
            var command = _context.Statements.Get(SqliteApplySql.OrganizationsInSubtree, "@keys", "@root");
            var result = new HashSet<Guid>();
            foreach (var chunk in organizations.Chunk(SqliteJsonArray.Chunk))
            {
                command.Parameters[0].Value = SqliteJsonArray.OfKeys(chunk);
                command.Parameters[1].Value = SqliteStoredForm.FormatUuid(root);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(SqliteStoredForm.ParseUuid(reader.GetString(0)));
                }
            }

            return (IReadOnlySet<Guid>)result;
        });
    }

    public Task<IReadOnlyDictionary<Guid, Guid>> ReadMemberOrganizationsAsync(IReadOnlyCollection<Guid> memberKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberKeys);
        return RunAsync(SqliteTrackedTable.Members.Name, async () =>
        {
            var command = _context.Statements.Get(SqliteApplySql.MemberOrganizations, "@keys");
            var result = new Dictionary<Guid, Guid>(memberKeys.Count);
            foreach (var chunk in memberKeys.Chunk(SqliteJsonArray.Chunk))
            {
                command.Parameters[0].Value = SqliteJsonArray.OfKeys(chunk);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[SqliteStoredForm.ParseUuid(reader.GetString(0))] = SqliteStoredForm.ParseUuid(reader.GetString(1));
                }
            }

            return (IReadOnlyDictionary<Guid, Guid>)result;
        });
    }

    public Task<IReadOnlyDictionary<string, Guid>> FindByNaturalKeyAsync(TableDescription table, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        var tracked = SqliteTrackedTable.For(table.Name);
        var sql = tracked == SqliteTrackedTable.Members ? SqliteApplySql.MembersByIdNumbers : tracked == SqliteTrackedTable.ServiceCards ? SqliteApplySql.CardsByNumbers : null;
        return RunAsync(tracked.Name, async () =>
        {
            var result = new Dictionary<string, Guid>(StringComparer.Ordinal);
            if (sql is null)
            {
                return (IReadOnlyDictionary<string, Guid>)result;
            }

            // The unique number comes back as stored, which equals the value asked for: the comparison is binary.
            var command = _context.Statements.Get(sql, "@values");
            foreach (var chunk in values.Chunk(SqliteJsonArray.Chunk))
            {
                command.Parameters[0].Value = SqliteJsonArray.Of(chunk);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result[reader.GetString(0)] = SqliteStoredForm.ParseUuid(reader.GetString(1));
                }
            }

            return (IReadOnlyDictionary<string, Guid>)result;
        });
    }

    public Task<IReadOnlyList<ScopeMove>> ReadMovesAsync(string table, IReadOnlyCollection<Guid> keys, long since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, async () =>
        {
            var command = _context.Statements.Get(SqliteApplySql.For(tracked).Moves, "@id", "@since");
            command.Parameters[1].Value = since;
            var moves = new List<ScopeMove>();
            foreach (var key in keys)
            {
                command.Parameters[0].Value = SqliteStoredForm.FormatUuid(key);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    moves.Add(SqliteMoveReader.Read(reader));
                }
            }

            moves.Sort((a, b) => a.Version.CompareTo(b.Version));
            return (IReadOnlyList<ScopeMove>)moves;
        });
    }

    public Task ApplyAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, () => _writer.ApplyAsync(tracked, changes, sourcePeer, keepBase: false, cancellationToken));
    }

    public Task ApplyFromChildAsync(TableDescription table, IReadOnlyList<RowChange> changes, Guid sourcePeer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, () => _writer.ApplyAsync(tracked, changes, sourcePeer, keepBase: true, cancellationToken));
    }

    public Task FillColumnsAsync(TableDescription table, IReadOnlyList<RowChange> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, async () =>
        {
            var sql = SqliteApplySql.For(tracked);
            if (sql.FillExtras is null)
            {
                return;
            }

            var command = _context.Statements.Get(sql.FillExtras, sql.FillParameters);
            var extras = tracked.Table.ExtraColumns;
            foreach (var row in rows)
            {
                command.Parameters[0].Value = SqliteStoredForm.FormatUuid(row.Key);
                for (var i = 0; i < extras.Count; i++)
                {
                    command.Parameters[i + 1].Value = SqliteStoredForm.ToStored(row.Values![tracked.Table.ContractColumnCount + i], extras[i]);
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        });
    }

    public Task RemoveLocallyAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, () => _remover.RemoveAsync(tracked, keys, cancellationToken));
    }

    public Task DropBaseRowsAsync(TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tracked = SqliteTrackedTable.For(table);
        return RunAsync(tracked.Name, async () =>
        {
            var drop = _context.Statements.Get(SqliteApplySql.For(tracked).DropBase, "@id");
            foreach (var key in keys)
            {
                drop.Parameters[0].Value = SqliteStoredForm.FormatUuid(key);
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        });
    }

    public Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken) =>
        RunAsync(null, () => _context.NextOwnVersionAsync(above, cancellationToken));

    public Task RecordConflictAsync(ConflictRecord conflict, CancellationToken cancellationToken) =>
        RunAsync(null, () => _metadata.InsertConflictAsync(_context.Connection, _context.Transaction, conflict, cancellationToken));

    public Task<bool> DecideConflictAsync(long id, string outcome, CancellationToken cancellationToken) =>
        RunAsync("unionsync_conflicts", () => _metadata.DecideConflictAsync(_context.Connection, _context.Transaction, id, outcome, cancellationToken));

    public Task CommitAsync(CancellationToken cancellationToken) =>
        RunAsync(null, async () =>
        {
            if (_committed)
            {
                throw new InvalidOperationException("The apply transaction is already committed.");
            }

            await _context.WriteFloorAsync(cancellationToken).ConfigureAwait(false);
            await _context.ExecuteAsync(SqliteApplySql.DeleteGuard, cancellationToken).ConfigureAwait(false);
            await _context.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _committed = true;
        });

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _context.DisposeAsync().ConfigureAwait(false);

        // Disposing an uncommitted SqliteTransaction rolls it back, guard row and batch record included.
        await _context.Transaction.DisposeAsync().ConfigureAwait(false);
        await _context.Connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The row of <see cref="SqliteApplySql.Current"/>: present, a tombstone only, or null (neither).</summary>
    private static CurrentRow? ReadCurrent(SqliteDataReader reader, TableDescription table)
    {
        var state = SqliteIdentityColumns.Read(reader, 1);
        if (!reader.IsDBNull(SqliteChangeSql.DataOffset))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqliteRowReader.ReadValue(reader, SqliteChangeSql.DataOffset + i, table.Columns[i]);
            }

            return new CurrentRow(state?.Origin, state?.SourcePeer, false, values, state?.Version ?? 0);
        }

        return state is { Deleted: true } ? new CurrentRow(state.Origin, state.SourcePeer, true, null, state.Version) : null;
    }

    private static string Direction(SyncDirection direction) => direction == SyncDirection.Upload ? "upload" : "download";

    private SqliteCommand BatchCommand(string sql, BatchId batch)
    {
        var command = _context.Statements.Get(sql, "@session", "@direction", "@batch");
        command.Parameters[0].Value = SqliteStoredForm.FormatUuid(batch.Session);
        command.Parameters[1].Value = Direction(batch.Direction);
        command.Parameters[2].Value = batch.Number;
        return command;
    }

    private async Task RunAsync(string? table, Func<Task> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table);
        }
    }

    private async Task<T> RunAsync<T>(string? table, Func<Task<T>> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table);
        }
    }
}
