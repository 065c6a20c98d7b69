using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// One read transaction on one connection. Results stream from SQLite cursors; the scope of a row read is put once into
/// <c>temp.unionsync_scope</c> (temp tables are private to the connection and need no write lock on the file).
/// </summary>
internal sealed class SqliteChangeSnapshot : IChangeSnapshot
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private Guid? _scopeLoaded;
    private bool _smallScope;
    private bool _disposed;

    public SqliteChangeSnapshot(SqliteConnection connection, SqliteTransaction transaction, Guid nodeId, long watermark)
    {
        _connection = connection;
        _transaction = transaction;
        NodeId = nodeId;
        Watermark = watermark;
    }

    public Guid NodeId { get; }

    public long Watermark { get; }

    public async IAsyncEnumerable<RowChange> ReadChangesAsync(ChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = SqliteTrackedTable.For(query.Table);
        var sql = SqliteChangeSql.For(table);
        long excluded = -1;
        if (query.ExcludedPeer is { } peer)
        {
            await using var lookup = Command(SqliteChangeSql.ExcludedPeerNumber);
            lookup.Parameters.AddWithValue("@peer", SqliteStoredForm.FormatUuid(peer));
            excluded = await lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long number ? number : -1;
        }

        await using var command = Command(query.ScopeRoot is null ? sql.ChangesAll : sql.ChangesInScope);
        command.Parameters.AddWithValue("@since", query.Since);
        command.Parameters.AddWithValue("@excluded", excluded);
        command.Parameters.AddWithValue("@tombstones_only", query.TombstonesOnly ? 1 : 0);
        if (query.ScopeRoot is { } root)
        {
            command.Parameters.AddWithValue("@root", SqliteStoredForm.FormatUuid(root));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadChange(reader, table.Table);
        }
    }

    public async IAsyncEnumerable<ScopeMove> ReadMovesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(SqliteChangeSql.SelectMoves);
        command.Parameters.AddWithValue("@since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqliteMoveReader.Read(reader);
        }
    }

    public async IAsyncEnumerable<RowChange> ReadRowsAsync(
        TableDescription table, RowSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var tracked = SqliteTrackedTable.For(table);
        var sql = SqliteChangeSql.For(tracked);
        string text;
        if (selection.SubtreeRoot is { } root)
        {
            await LoadScopeAsync(root, cancellationToken).ConfigureAwait(false);
            text = _smallScope ? sql.RowsInSmallScope : sql.RowsInScope;
        }
        else
        {
            var keys = selection.Keys ?? selection.MemberKeys ?? throw new ArgumentException("The row selection names no subtree, members or keys.", nameof(selection));
            await LoadKeysAsync(keys, cancellationToken).ConfigureAwait(false);
            text = selection.Keys is not null
                ? sql.RowsByKeys
                : sql.RowsOfMembers ?? throw new ArgumentException($"Rows of given members are cards or members, not {table}.", nameof(selection));
        }

        await using var command = Command(text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadChange(reader, tracked.Table);
        }
    }

    public async Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(
        TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        var rows = new Dictionary<Guid, object?[]>();
        if (keys.Count == 0)
        {
            return rows;
        }

        var contract = SyncTables.Named(table.Name);
        await LoadKeysAsync(keys, cancellationToken).ConfigureAwait(false);
        await using var command = Command(SqliteChangeSql.For(SqliteTrackedTable.For(contract)).BaseRowsByKeys);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new object?[contract.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqliteRowReader.ReadValue(reader, i, contract.Columns[i]);
            }

            rows[(Guid)values[contract.KeyOrdinal]!] = values;
        }

        return rows;
    }

    public async Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken) =>
        await SqliteSubtree.ReadAsync(_connection, _transaction, root, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private static RowChange ReadChange(DbDataReader reader, TableDescription table)
    {
        var key = SqliteStoredForm.ParseUuid(reader.GetString(0));
        var state = SqliteIdentityColumns.Read(reader, 1);
        if (state is { Deleted: true })
        {
            return new RowChange
            {
                Table = table,
                Key = key,
                Kind = ChangeKind.Delete,
                Origin = state.Origin,
                Base = state.Base,
                ScopeOrganization = state.ScopeOrganization,
            };
        }

        var values = new object?[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = SqliteRowReader.ReadValue(reader, SqliteChangeSql.DataOffset + i, table.Columns[i]);
        }

        return new RowChange { Table = table, Key = key, Kind = ChangeKind.Upsert, Values = values, Origin = state?.Origin, Base = state?.Base };
    }

    private SqliteCommand Command(string text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = text;
        return command;
    }

    private async Task LoadScopeAsync(Guid root, CancellationToken cancellationToken)
    {
        if (_scopeLoaded == root)
        {
            return;
        }

        await using var command = Command(SqliteChangeSql.CreateScopeTable);
        command.Parameters.AddWithValue("@root", SqliteStoredForm.FormatUuid(root));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.Parameters.Clear();
        command.CommandText = SqliteChangeSql.ScopeShare;
        _smallScope = Convert.ToDouble(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)
            < SqliteChangeSql.SmallScopeShare;
        _scopeLoaded = root;
    }

    private async Task LoadKeysAsync(IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        await using (var create = Command(SqliteChangeSql.CreateKeyTable))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insert = Command(SqliteChangeSql.InsertKey);
        var id = insert.Parameters.Add("@id", SqliteType.Text);
        foreach (var key in keys)
        {
            id.Value = SqliteStoredForm.FormatUuid(key);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
