using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>
/// One REPEATABLE READ, READ ONLY transaction. The tracking rows it sees are exactly those committed before its snapshot;
/// any change it cannot see has a transaction id at or above <see cref="Watermark"/> (the snapshot's xmin) and is
/// returned by the next snapshot opened since that watermark. Streams are read one at a time (one connection).
/// </summary>
internal sealed class PostgresChangeSnapshot : IChangeSnapshot
{
    /// <summary>Keys per query of <see cref="ReadBaseRowsAsync"/>, so that one array parameter stays small whatever the caller asks.</summary>
    private const int BaseRowKeysPerQuery = 5_000;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Dictionary<Guid, double> _scopeShares = [];
    private bool _disposed;

    public PostgresChangeSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid nodeId, long watermark)
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tracked = PostgresTrackedTable.For(query.Table);
        await using var command = new NpgsqlCommand(PostgresChangeSql.For(tracked).ChangesSql(query.ScopeRoot.HasValue), _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Bigint) { Value = query.Since });
        command.Parameters.Add(new NpgsqlParameter("excluded", NpgsqlDbType.Uuid) { Value = query.ExcludedPeer ?? (object)DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tombstones_only", NpgsqlDbType.Boolean) { Value = query.TombstonesOnly });
        if (query.ScopeRoot is { } root)
        {
            command.Parameters.Add(new NpgsqlParameter("root", NpgsqlDbType.Uuid) { Value = root });
        }

        var reader = await ExecuteAsync(command, tracked, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var deleted = reader.GetBoolean(1);
                yield return new RowChange
                {
                    Table = query.Table,
                    Key = reader.GetGuid(0),
                    Kind = deleted ? ChangeKind.Delete : ChangeKind.Upsert,
                    Values = deleted ? null : PostgresIdentities.ReadValues(reader, query.Table, PostgresChangeSql.ChangeValuesOrdinal),
                    Origin = PostgresIdentities.Read(reader, 3),
                    Base = PostgresIdentities.Read(reader, 5),
                    ScopeOrganization = deleted && !reader.IsDBNull(2) ? reader.GetGuid(2) : null,
                };
            }
        }
    }

    public async IAsyncEnumerable<ScopeMove> ReadMovesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var command = new NpgsqlCommand(PostgresChangeSql.MovesSql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Bigint) { Value = since });
        var reader = await ExecuteAsync(command, null, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ReadMove(reader);
            }
        }
    }

    public async IAsyncEnumerable<RowChange> ReadRowsAsync(
        TableDescription table, RowSelection selection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(selection);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tracked = PostgresTrackedTable.For(table);
        var large = selection.SubtreeRoot is { } root && await ScopeShareAsync(root, cancellationToken).ConfigureAwait(false) >= PostgresChangeSql.LargeScopeShare;
        await using var command = RowsCommand(tracked, selection, large);
        var reader = await ExecuteAsync(command, tracked, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var identityOrdinal = table.Columns.Count;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = PostgresIdentities.ReadValues(reader, table, 0);
                yield return new RowChange
                {
                    Table = table,
                    Key = (Guid)values[table.KeyOrdinal]!,
                    Kind = ChangeKind.Upsert,
                    Values = values,
                    Origin = PostgresIdentities.Read(reader, identityOrdinal),
                    Base = PostgresIdentities.Read(reader, identityOrdinal + 2),
                };
            }
        }
    }

    public async Task<IReadOnlyDictionary<Guid, object?[]>> ReadBaseRowsAsync(
        TableDescription table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var contract = PostgresTrackedTable.For(table.Name);
        var result = new Dictionary<Guid, object?[]>();
        foreach (var chunk in keys.Chunk(BaseRowKeysPerQuery))
        {
            await using var command = new NpgsqlCommand(PostgresChangeSql.For(contract).BaseRowsSql, _connection, _transaction);
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = chunk });
            var reader = await ExecuteAsync(command, contract, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var values = PostgresIdentities.ReadValues(reader, contract.Table, 0);
                    result[(Guid)values[contract.Table.KeyOrdinal]!] = values;
                }
            }
        }

        return result;
    }

    public async Task<IReadOnlySet<Guid>> ReadSubtreeAsync(Guid root, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await PostgresSubtree.ReadAsync(_connection, _transaction, root, cancellationToken).ConfigureAwait(false);
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
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static ScopeMove ReadMove(NpgsqlDataReader reader) => new(
        PostgresTrackedTable.For(reader.GetInt16(0)).Name,
        reader.GetGuid(1),
        reader.IsDBNull(2) ? null : reader.GetGuid(2),
        reader.IsDBNull(3) ? null : reader.GetGuid(3),
        reader.GetInt64(4));

    private static async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlCommand command, PostgresTrackedTable? table, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table?.Name);
        }
    }

    /// <summary>The share of the organisations in the subtree of <paramref name="root"/>, read once per root in this snapshot.</summary>
    private async Task<double> ScopeShareAsync(Guid root, CancellationToken cancellationToken)
    {
        if (_scopeShares.TryGetValue(root, out var share))
        {
            return share;
        }

        await using var command = new NpgsqlCommand(PostgresChangeSql.ScopeShareSql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter("root", NpgsqlDbType.Uuid) { Value = root });
        try
        {
            share = (double)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, table: null);
        }

        _scopeShares[root] = share;
        return share;
    }

    /// <param name="largeScope">A subtree that holds most of the organisations (<see cref="PostgresChangeSql.LargeScopeShare"/>).</param>
    private NpgsqlCommand RowsCommand(PostgresTrackedTable table, RowSelection selection, bool largeScope)
    {
        var rows = PostgresChangeSql.For(table);
        string sql;
        NpgsqlParameter parameter;
        if (selection.SubtreeRoot is { } root)
        {
            sql = largeScope ? rows.LargeSubtreeRowsSql : rows.SubtreeRowsSql;
            parameter = new NpgsqlParameter("root", NpgsqlDbType.Uuid) { Value = root };
        }
        else if (selection.MemberKeys is { } members)
        {
            sql = rows.MemberRowsSql
                ?? throw new ArgumentException($"Rows of table {table.Name} cannot be selected by member; use a subtree or keys.", nameof(selection));
            parameter = new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = members.ToArray() };
        }
        else
        {
            sql = rows.KeyRowsSql;
            parameter = new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (selection.Keys ?? []).ToArray() };
        }

        var command = new NpgsqlCommand(sql, _connection, _transaction);
        command.Parameters.Add(parameter);
        return command;
    }
}
