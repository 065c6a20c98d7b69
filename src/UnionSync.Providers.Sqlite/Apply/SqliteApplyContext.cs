using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Tracking;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// State shared by the parts of one apply transaction: its connection, its reused commands, the local version counter
/// (read once; the write lock is held, so no one else hands out versions meanwhile), the largest origin version received
/// and the node-number dictionary.
/// </summary>
internal sealed class SqliteApplyContext : IAsyncDisposable
{
    private readonly Dictionary<Guid, long> _nodeNumbers = [];
    private long? _version;
    private long _receivedOrigin;

    public SqliteApplyContext(SqliteConnection connection, SqliteTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
        Statements = new SqliteStatementCache(connection, transaction);
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    public SqliteStatementCache Statements { get; }

    /// <summary>The next local version; versions handed out here are written as the floor on commit.</summary>
    public async Task<long> NextVersionAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        _version = current + 1;
        return current + 1;
    }

    /// <summary>
    /// A version of this node's own clock for a change the engine writes as this node's: above every local version handed
    /// out (the log was folded when the transaction began, and the write lock is held), above every one taken before in
    /// this transaction, at least the wall clock shifted left 16 bits (as the fold hands them out) and above
    /// <paramref name="above"/>. It counts as received, so the floor written on commit keeps every later local write above it.
    /// </summary>
    public async Task<long> NextOwnVersionAsync(long above, CancellationToken cancellationToken)
    {
        var current = await CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        var clock = (long)(await Statements.Get(SqliteVersionSql.Clock).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var version = Math.Max(Math.Max(current, _receivedOrigin) + 1, Math.Max(clock, above + 1));
        Received(version);
        return version;
    }

    /// <summary>Reads the counter before tracking rows are deleted, so that the floor written on commit covers them.</summary>
    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        if (_version is { } version)
        {
            return version;
        }

        var command = Statements.Get(SqliteVersionSql.SelectNode);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("unionsync_node holds no row: deprovision and provision the database again.");
        }

        _version = reader.GetInt64(1);
        return _version.Value;
    }

    /// <summary>This database's number for a node id, added to <c>unionsync_nodes</c> when new.</summary>
    public async Task<long> NodeNumberAsync(Guid node, CancellationToken cancellationToken)
    {
        if (_nodeNumbers.TryGetValue(node, out var number))
        {
            return number;
        }

        var text = SqliteStoredForm.FormatUuid(node);
        var insert = Statements.Get(SqliteApplySql.InsertNode, "@node");
        insert.Parameters[0].Value = text;
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var select = Statements.Get(SqliteApplySql.SelectNode, "@node");
        select.Parameters[0].Value = text;
        number = (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        _nodeNumbers.Add(node, number);
        return number;
    }

    /// <summary>Notes an origin version applied here, for the HLC receive rule of <see cref="WriteFloorAsync"/>.</summary>
    public void Received(long originVersion) => _receivedOrigin = Math.Max(_receivedOrigin, originVersion);

    /// <summary>
    /// Keeps the counter from going backwards once tracking rows written or read here are deleted, and applies the hybrid
    /// logical clock's receive rule: the floor rises to the largest origin version received, so every later local write
    /// gets a larger origin version (the triggers hand out more than the floor) whatever this node's wall clock says.
    /// The floor is also the watermark's lower bound; raising it only makes the counter jump ahead, which is harmless.
    /// </summary>
    public async Task WriteFloorAsync(CancellationToken cancellationToken)
    {
        var floor = Math.Max(_version ?? 0, _receivedOrigin);
        if (floor <= 0)
        {
            return;
        }

        var command = Statements.Get(SqliteApplySql.SetFloor, "@version");
        command.Parameters[0].Value = floor;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Statements.DisposeAsync();
}
