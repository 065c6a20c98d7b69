using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Metadata;

/// <summary>
/// <see cref="ISyncMetadata"/> in ANSI SQL over <c>unionsync_peers</c> and <c>unionsync_conflicts</c>
/// (docs/sync-engine.md §2). A provider overrides only how a UUID and a timestamp travel as parameters and come back
/// from a reader. Parameters are named <c>@name</c>, which SQLite, Npgsql and SqlClient all accept.
/// </summary>
/// <remarks>
/// The tables' columns, which every provider's provisioning DDL creates:
/// <c>unionsync_peers (peer_id PK, role, scope_org, sent_watermark, received_watermark, protocol_version, first_sync_at, last_sync_at)</c>;
/// <c>unionsync_conflicts (id identity PK, tbl, row_id, kind, parent_version?, child_version?, parent_origin_node?,
/// parent_origin_version?, child_origin_node?, child_origin_version?, parent_node, child_node, policy, outcome, state,
/// detected_at, resolved_at?)</c>.
/// </remarks>
public abstract class SqlSyncMetadata : ISyncMetadata
{
    internal const string PeerColumns = "peer_id, role, scope_org, sent_watermark, received_watermark, protocol_version";

    internal const string ConflictColumns =
        "tbl, row_id, kind, parent_version, child_version, parent_origin_node, parent_origin_version, child_origin_node, " +
        "child_origin_version, parent_node, child_node, policy, outcome, state, detected_at";

    private const string SelectPeerSql = $"SELECT {PeerColumns} FROM unionsync_peers WHERE peer_id = @peer_id";

    private const string SelectParentSql = $"SELECT {PeerColumns} FROM unionsync_peers WHERE role = 'parent' ORDER BY last_sync_at DESC";

    private const string UpdatePeerSql =
        "UPDATE unionsync_peers SET role = @role, scope_org = @scope_org, sent_watermark = @sent_watermark, " +
        "received_watermark = @received_watermark, protocol_version = @protocol_version, last_sync_at = @now WHERE peer_id = @peer_id";

    private const string InsertPeerSql =
        $"INSERT INTO unionsync_peers ({PeerColumns}, first_sync_at, last_sync_at) " +
        "VALUES (@peer_id, @role, @scope_org, @sent_watermark, @received_watermark, @protocol_version, @now, @now)";

    private const string SelectConflictsSql = $"SELECT id, {ConflictColumns} FROM unionsync_conflicts ORDER BY id DESC";

    private const string SelectConflictSql = $"SELECT id, {ConflictColumns} FROM unionsync_conflicts WHERE id = @id";

    private const string DecideConflictSql =
        "UPDATE unionsync_conflicts SET state = 'resolved', outcome = @outcome, resolved_at = @now WHERE id = @id AND state = 'queued'";

    private const string SelectFilledColumnsSql = "SELECT qualified_column FROM unionsync_peer_columns WHERE peer_id = @peer_id";

    private const string InsertFilledColumnSql =
        "INSERT INTO unionsync_peer_columns (peer_id, qualified_column) SELECT @peer_id, @column " +
        "WHERE NOT EXISTS (SELECT 1 FROM unionsync_peer_columns WHERE peer_id = @peer_id AND qualified_column = @column)";

    private const string ForgetFilledColumnSql = "DELETE FROM unionsync_peer_columns WHERE qualified_column = @column";

    private const string SelectMetadataVersionSql = "SELECT schema_version FROM unionsync_node";

    private const string InsertConflictSql =
        $"INSERT INTO unionsync_conflicts ({ConflictColumns}) VALUES (@tbl, @row_id, @kind, @parent_version, @child_version, " +
        "@parent_origin_node, @parent_origin_version, @child_origin_node, @child_origin_version, @parent_node, @child_node, " +
        "@policy, @outcome, @state, @detected_at)";

    private readonly DbDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly SqlPolicyStore _policies;

    protected SqlSyncMetadata(DbDataSource dataSource, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _dataSource = dataSource;
        _timeProvider = timeProvider;
        _policies = new SqlPolicyStore(dataSource, timeProvider, value => TimestampValue(value), (reader, ordinal) => ReadTimestamp(reader, ordinal));
    }

    public async Task<PeerRecord?> GetPeerAsync(Guid peerId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectPeerSql;
        AddParameter(command, "@peer_id", UuidValue(peerId));
        return await ReadPeerAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PeerRecord?> GetParentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectParentSql;
        return await ReadPeerAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the peer or updates it (first sync time kept, last sync time set to now), in one transaction.</summary>
    public async Task SavePeerAsync(PeerRecord peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await SavePeerAsync(connection, transaction, peer, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same upsert inside a caller's transaction (e.g. a checkpoint written with the last batch).</summary>
    public async Task SavePeerAsync(DbConnection connection, DbTransaction? transaction, PeerRecord peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(peer);
        var now = TimestampValue(_timeProvider.GetUtcNow().UtcDateTime);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = UpdatePeerSql;
        AddPeerParameters(update, peer, now);
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertPeerSql;
        AddPeerParameters(insert, peer, now);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ConflictRecord> ListConflictsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectConflictsSql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadConflict(reader);
        }
    }

    public async Task<ConflictRecord?> GetConflictAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectConflictSql;
        AddParameter(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConflict(reader) : null;
    }

    /// <summary>
    /// Marks a queued conflict decided, inside a caller's transaction (the one that applies the decision), so that the
    /// decision and its record commit together. False when the conflict is not queued (decided meanwhile, or never queued).
    /// </summary>
    public async Task<bool> DecideConflictAsync(DbConnection connection, DbTransaction? transaction, long id, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = DecideConflictSql;
        AddParameter(command, "@outcome", outcome);
        AddParameter(command, "@now", TimestampValue(_timeProvider.GetUtcNow().UtcDateTime));
        AddParameter(command, "@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<PolicySet> GetPoliciesAsync(CancellationToken cancellationToken) => _policies.GetAsync(cancellationToken);

    public Task SetPolicyAsync(string table, ConflictPolicy policy, CancellationToken cancellationToken) =>
        _policies.SetAsync(new PolicyChange(table, policy), cancellationToken);

    public Task SetPolicyAsync(PolicyChange change, CancellationToken cancellationToken) => _policies.SetAsync(change, cancellationToken);

    public async Task<IReadOnlySet<string>> GetFilledColumnsAsync(Guid child, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectFilledColumnsSql;
        AddParameter(command, "@peer_id", UuidValue(child));
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    public Task AddFilledColumnsAsync(Guid child, IReadOnlyCollection<string> columns, CancellationToken cancellationToken) =>
        ForEachColumnAsync(InsertFilledColumnSql, child, columns, cancellationToken);

    public Task ForgetFilledColumnsAsync(IReadOnlyCollection<string> columns, CancellationToken cancellationToken) =>
        ForEachColumnAsync(ForgetFilledColumnSql, peer: null, columns, cancellationToken);

    public async Task<int> GetMetadataVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectMetadataVersionSql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull
            ? throw new Errors.SyncConfigurationException("unionsync_node holds no row: the database's tracking is damaged; deprovision and provision it again.")
            : checked((int)Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    /// <summary>Appends a conflict to the log inside a caller's transaction (an apply transaction); the log assigns the id.</summary>
    public async Task InsertConflictAsync(DbConnection connection, DbTransaction? transaction, ConflictRecord conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(conflict);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertConflictSql;
        AddParameter(command, "@tbl", conflict.Table);
        AddParameter(command, "@row_id", UuidValue(conflict.Key));
        AddParameter(command, "@kind", conflict.Kind);
        AddParameter(command, "@parent_version", conflict.ParentVersion);
        AddParameter(command, "@child_version", conflict.ChildVersion);
        AddParameter(command, "@parent_origin_node", conflict.ParentIdentity is { } p ? UuidValue(p.Node) : null);
        AddParameter(command, "@parent_origin_version", conflict.ParentIdentity?.Version);
        AddParameter(command, "@child_origin_node", conflict.ChildIdentity is { } c ? UuidValue(c.Node) : null);
        AddParameter(command, "@child_origin_version", conflict.ChildIdentity?.Version);
        AddParameter(command, "@parent_node", UuidValue(conflict.ParentNode));
        AddParameter(command, "@child_node", UuidValue(conflict.ChildNode));
        AddParameter(command, "@policy", conflict.Policy);
        AddParameter(command, "@outcome", conflict.Outcome);
        AddParameter(command, "@state", conflict.State);
        AddParameter(command, "@detected_at", TimestampValue(conflict.DetectedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A UUID as a parameter value (SQLite: lowercase text; PostgreSQL and SQL Server: the <see cref="Guid"/> itself).</summary>
    protected virtual object UuidValue(Guid value) => value;

    protected virtual Guid ReadUuid(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetGuid(ordinal);
    }

    /// <summary>A UTC timestamp as a parameter value (SQLite: ISO-8601 text).</summary>
    protected virtual object TimestampValue(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    protected virtual DateTime ReadTimestamp(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);
    }

    private async Task ForEachColumnAsync(string sql, Guid? peer, IReadOnlyCollection<string> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var column in columns)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            if (peer is { } id)
            {
                AddParameter(command, "@peer_id", UuidValue(id));
            }

            AddParameter(command, "@column", column);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static long ReadInt64(DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static PeerRole ParseRole(string text) => text switch
    {
        "parent" => PeerRole.Parent,
        "child" => PeerRole.Child,
        _ => throw new InvalidOperationException($"unionsync_peers holds role '{text}'; expected 'parent' or 'child'."),
    };

    private void AddPeerParameters(DbCommand command, PeerRecord peer, object now)
    {
        AddParameter(command, "@peer_id", UuidValue(peer.PeerId));
        AddParameter(command, "@role", peer.Role == PeerRole.Parent ? "parent" : "child");
        AddParameter(command, "@scope_org", UuidValue(peer.ScopeOrganization));
        AddParameter(command, "@sent_watermark", peer.SentWatermark);
        AddParameter(command, "@received_watermark", peer.ReceivedWatermark);
        AddParameter(command, "@protocol_version", peer.ProtocolVersion);
        AddParameter(command, "@now", now);
    }

    private async Task<PeerRecord?> ReadPeerAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new PeerRecord(
            ReadUuid(reader, 0),
            ParseRole(reader.GetString(1)),
            ReadUuid(reader, 2),
            ReadInt64(reader, 3),
            ReadInt64(reader, 4),
            checked((int)ReadInt64(reader, 5)));
    }

    private ConflictRecord ReadConflict(DbDataReader reader)
    {
        VersionIdentity? Identity(int node, int version) =>
            reader.IsDBNull(node) ? null : new VersionIdentity(ReadUuid(reader, node), ReadInt64(reader, version));

        return new ConflictRecord(
            ReadInt64(reader, 0),
            reader.GetString(1),
            ReadUuid(reader, 2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            Identity(6, 7),
            Identity(8, 9),
            ReadUuid(reader, 10),
            ReadUuid(reader, 11),
            reader.GetString(12),
            reader.GetString(13),
            reader.GetString(14),
            ReadTimestamp(reader, 15));
    }
}
