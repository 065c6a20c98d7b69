using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Reading;

/// <summary>
/// One read transaction in SNAPSHOT isolation, with its watermark <c>MIN_ACTIVE_ROWVERSION()</c>.
/// </summary>
/// <remarks>
/// Why SNAPSHOT and not REPEATABLE READ: a locking read would wait behind every open writer on the rows and index
/// ranges it touches (the rowversion range seek stops on the first key past the bound, which may be an open
/// transaction's row), and it would see each table at a different moment. SNAPSHOT reads one committed state of the
/// whole database without locks, so changes, their values, the scope's subtree and the moves agree. It needs
/// <c>ALLOW_SNAPSHOT_ISOLATION ON</c>, which provisioning sets; <c>READ_COMMITTED_SNAPSHOT</c> is not needed.
/// <para>
/// Order of the watermark and the snapshot: the watermark W is read immediately before the snapshot transaction's
/// first data access, which is when SQL Server fixes a snapshot's view. Every row whose rowversion is below W belongs
/// to a transaction that had ended when W was read, so the snapshot sees it; rows of transactions still open have a
/// rowversion at or above W and are selected by the next session (which starts at W). Reading W after the view was
/// fixed would let a transaction commit in between with a rowversion below W that the snapshot cannot see: skipped
/// for good. Rows seen twice are harmless (idempotent apply).
/// </para>
/// One command at a time: a stream must be read to its end (or disposed) before the next call.
/// </remarks>
internal sealed class SqlServerChangeSnapshot : IChangeSnapshot
{
    private const int SnapshotIsolationNotAllowed = 3952;

    /// <summary>Keys per query of <see cref="ReadBaseRowsAsync"/>, so that one JSON parameter stays small whatever the caller asks.</summary>
    private const int BaseRowKeysPerQuery = 5_000;

    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;
    private bool _disposed;

    private SqlServerChangeSnapshot(SqlConnection connection, SqlTransaction transaction, Guid nodeId, long watermark)
    {
        _connection = connection;
        _transaction = transaction;
        NodeId = nodeId;
        Watermark = watermark;
    }

    public Guid NodeId { get; }

    public long Watermark { get; }

    public static async Task<SqlServerChangeSnapshot> OpenAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        SqlConnection? connection = null;
        SqlTransaction? transaction = null;
        try
        {
            connection = (SqlConnection)await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            long watermark;
            await using (var command = new SqlCommand(SqlServerChangeSql.WatermarkSql, connection))
            {
                watermark = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.Snapshot, cancellationToken).ConfigureAwait(false);
            object? nodeId;
            await using (var command = new SqlCommand(SqlServerTrackingScripts.NodeIdSql, connection, transaction))
            {
                nodeId = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            if (nodeId is not Guid id)
            {
                throw SqlServerChangeTracker.NotProvisioned();
            }

            return new SqlServerChangeSnapshot(connection, transaction, id, watermark);
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

            if (exception is SqlException { Number: SnapshotIsolationNotAllowed })
            {
                throw new SyncConfigurationException(
                    "This SQL Server database does not allow snapshot isolation, which change sessions read in. Provision it again " +
                    "(IChangeTracker.ProvisionAsync turns it on) or run ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON.");
            }

            if (exception is SqlException sqlException)
            {
                throw SqlServerErrorTranslator.Translate(sqlException, "opening a change snapshot");
            }

            throw;
        }
    }

    public async IAsyncEnumerable<RowChange> ReadChangesAsync(ChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = SqlServerTrackedTable.For(query.Table);
        await using var command = Command(SqlServerChangeSql.For(table).ChangesSql);
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@since", query.Since));
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@watermark", Watermark));
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@scope_root", query.ScopeRoot));
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@excluded_peer", query.ExcludedPeer));
        command.Parameters.Add(new SqlParameter("@tombstones_only", SqlDbType.Bit) { Value = query.TombstonesOnly });
        await foreach (var change in ReadAsync(command, query.Table, $"reading changes of {table}", cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    public async IAsyncEnumerable<ScopeMove> ReadMovesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(SqlServerChangeSql.MovesSql);
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@since", since));
        command.Parameters.Add(SqlServerTrackedRows.BigIntParameter("@watermark", Watermark));
        var reader = await ExecuteAsync(command, "reading scope moves", cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await ReadAsync(reader, "reading scope moves", cancellationToken).ConfigureAwait(false))
            {
                yield return SqlServerTrackedRows.ReadMove(reader);
            }
        }
    }

    public async IAsyncEnumerable<RowChange> ReadRowsAsync(TableDescription table, RowSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var tracked = SqlServerTrackedTable.For(table);
        var sql = SqlServerChangeSql.For(tracked);
        SqlCommand command;
        if (selection.SubtreeRoot is { } root)
        {
            command = Command(sql.RowsInSubtreeSql);
            command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@scope_root", root));
        }
        else if (selection.Keys is { } keys)
        {
            command = Command(sql.RowsByKeysSql);
            command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", keys));
        }
        else
        {
            var members = selection.MemberKeys ?? throw new ArgumentException("The row selection names no subtree, members or keys.", nameof(selection));
            command = Command(sql.RowsOfMembersSql ?? throw new ArgumentException($"Rows of given members are cards or members, not {tracked}.", nameof(selection)));
            command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", members));
        }

        await using (command.ConfigureAwait(false))
        {
            await foreach (var row in ReadAsync(command, table, $"reading rows of {tracked}", cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    public async Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(
        TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        var contract = SqlServerTrackedTable.For(table.Name);
        var operation = $"reading base rows of {contract}";
        var result = new Dictionary<Guid, object?[]>();
        foreach (var chunk in keys.Chunk(BaseRowKeysPerQuery))
        {
            await using var command = Command(SqlServerChangeSql.For(contract).BaseRowsSql);
            command.Parameters.Add(SqlServerTrackedRows.KeysParameter("@keys", chunk));
            var reader = await ExecuteAsync(command, operation, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await ReadAsync(reader, operation, cancellationToken).ConfigureAwait(false))
                {
                    var values = new object?[contract.Table.Columns.Count];
                    SqlServerRowReader.ReadRow(reader, contract.Table, values);
                    result[(Guid)values[contract.Table.KeyOrdinal]!] = values;
                }
            }
        }

        return result;
    }

    public async Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken)
    {
        await using var command = Command(SqlServerChangeSql.SubtreeSql);
        command.Parameters.Add(SqlServerTrackedRows.GuidParameter("@root", root));
        return await ReadSubtreeAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a subtree command (parameter <c>@root</c>) and collects the ids; shared with the apply transaction.</summary>
    internal static async Task<IReadOnlySet<Guid>> ReadSubtreeAsync(SqlCommand command, CancellationToken cancellationToken)
    {
        var subtree = new HashSet<Guid>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                subtree.Add(reader.GetGuid(0));
            }
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, "reading an organisation subtree");
        }

        return subtree;
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
            // A read-only transaction: committing or rolling back is the same; commit ends it without an error path.
            await _transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SqlException or InvalidOperationException)
        {
            // The connection broke: the server has ended the transaction already.
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<SqlDataReader> ExecuteAsync(SqlCommand command, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, operation);
        }
    }

    private static async Task<bool> ReadAsync(SqlDataReader reader, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, operation);
        }
    }

    private static async IAsyncEnumerable<RowChange> ReadAsync(
        SqlCommand command, TableDescription table, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = await ExecuteAsync(command, operation, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await ReadAsync(reader, operation, cancellationToken).ConfigureAwait(false))
            {
                yield return SqlServerTrackedRows.ReadChange(reader, table);
            }
        }
    }

    private SqlCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqlCommand(sql, _connection, _transaction) { CommandTimeout = 0 };
    }
}
