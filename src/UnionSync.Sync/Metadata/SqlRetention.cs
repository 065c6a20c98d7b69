using System.Data.Common;
using System.Globalization;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Metadata;

/// <summary>
/// <see cref="IRetention"/> in ANSI SQL where the providers agree: the marks (<c>unionsync_watermark_marks</c>), the
/// purge floor (<c>unionsync_retention</c>, one row), the children (<c>unionsync_peers</c>) and old session rows. A
/// provider supplies what differs: how its watermark selects tombstones, moves and old batch records, how a UUID and a
/// time travel, and the reinitialise steps, which need its trigger guard.
/// </summary>
/// <remarks>
/// The two tables are appended to each provider's <c>Tracking/provision.sql</c>. A node provisioned before they existed
/// is upgraded on first use by provisioning it again (idempotent: it keeps the node id and every row).
/// </remarks>
public abstract class SqlRetention : IRetention
{
    private const string InsertMarkSql =
        "INSERT INTO unionsync_watermark_marks (recorded_at, watermark) SELECT @recorded_at, @watermark " +
        "WHERE NOT EXISTS (SELECT 1 FROM unionsync_watermark_marks WHERE watermark >= @watermark)";

    private const string FindMarkSql = "SELECT MAX(watermark) FROM unionsync_watermark_marks WHERE recorded_at <= @cutoff";

    /// <summary>Marks older than the cutoff below the best of them say less than it does.</summary>
    private const string DeleteMarksSql =
        "DELETE FROM unionsync_watermark_marks WHERE recorded_at <= @cutoff AND watermark < " +
        "(SELECT MAX(m.watermark) FROM unionsync_watermark_marks m WHERE m.recorded_at <= @cutoff)";

    private const string SelectChildrenSql = "SELECT peer_id, sent_watermark, last_sync_at FROM unionsync_peers WHERE role = 'child'";

    private const string SelectFloorSql = "SELECT purge_floor FROM unionsync_retention WHERE id = 1";

    private const string TouchChildSql = "UPDATE unionsync_peers SET last_sync_at = @now WHERE peer_id = @peer_id AND role = 'child'";

    /// <summary>Takes the floor row's write lock first, so that admissions wait for the purge (or it for them).</summary>
    private const string LockFloorSql = "UPDATE unionsync_retention SET purged_at = @now WHERE id = 1";

    private const string UpdateFloorSql = "UPDATE unionsync_retention SET purge_floor = @floor, purged_at = @now WHERE id = 1";

    private const string InsertFloorSql = "INSERT INTO unionsync_retention (id, purge_floor, purged_at) VALUES (1, @floor, @now)";

    private const string DeleteSessionsSql = "DELETE FROM unionsync_sessions WHERE updated_at < @cutoff";

    private readonly DbDataSource _dataSource;
    private readonly IChangeTracker _tracking;
    private volatile bool _tablesReady;

    protected SqlRetention(DbDataSource dataSource, IChangeTracker tracking)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(tracking);
        _dataSource = dataSource;
        _tracking = tracking;
    }

    protected DbDataSource DataSource => _dataSource;

    /// <summary>How many of the two retention tables exist (a scalar, 0 to 2).</summary>
    protected abstract string TablesExistSql { get; }

    /// <summary>Deletes tombstones (<c>deleted</c> tracking rows only, never a live row's) covered by <c>@floor</c>.</summary>
    protected abstract string DeleteTombstonesSql { get; }

    /// <summary>Deletes scope moves covered by <c>@floor</c>.</summary>
    protected abstract string DeleteMovesSql { get; }

    /// <summary>Deletes batch records of sessions started before <c>@session_bound</c> (see <see cref="SessionBound"/>).</summary>
    protected abstract string DeleteBatchesSql { get; }

    /// <summary>Run first in the purge transaction (SQLite raises its version floor before tracking rows go); null for none.</summary>
    protected virtual string? BeforePurgeSql => null;

    /// <summary>
    /// Reads the floor for an admission, waiting for a purge that holds the row and holding it against one until commit
    /// (PostgreSQL: FOR SHARE; SQL Server: HOLDLOCK). SQLite's transactions take the file's write lock, which does both.
    /// </summary>
    protected virtual string SelectFloorForAdmissionSql => SelectFloorSql;

    public async Task RecordMarkAsync(DateTimeOffset recordedAt, long watermark, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(async connection =>
        {
            await using var command = Command(connection, null, InsertMarkSql);
            AddParameter(command, "@recorded_at", MarkTimeValue(recordedAt));
            AddParameter(command, "@watermark", watermark);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> FindMarkAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async connection =>
        {
            await using var command = Command(connection, null, FindMarkSql);
            AddParameter(command, "@cutoff", MarkTimeValue(cutoff));
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? (long?)null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ChildCheckpoint>> ListChildrenAsync(CancellationToken cancellationToken) =>
        await RunAsync(connection => ReadChildrenAsync(connection, null, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<long> GetPurgeFloorAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(connection => ReadFloorAsync(connection, null, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> AdmitAsync(Guid childNode, long checkpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long floor;
            await using (var read = Command(connection, transaction, SelectFloorForAdmissionSql))
            {
                var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                floor = value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }

            if (checkpoint >= floor)
            {
                await ExecuteAsync(
                    connection, transaction, TouchChildSql, [("@now", TimestampValue(now)), ("@peer_id", UuidValue(childNode))], cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return floor;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PurgeCounts> PurgeAsync(long floor, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        return await RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, LockFloorSql, [("@now", TimestampValue(now))], cancellationToken).ConfigureAwait(false);
            foreach (var child in await ReadChildrenAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
            {
                if (child.LastSyncAt >= cutoff)
                {
                    floor = Math.Min(floor, child.Acknowledged);
                }
            }

            var newFloor = Math.Max(floor, await ReadFloorAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            if (BeforePurgeSql is { } before)
            {
                await ExecuteAsync(connection, transaction, before, [], cancellationToken).ConfigureAwait(false);
            }

            var tombstones = await ExecuteAsync(connection, transaction, DeleteTombstonesSql, [("@floor", newFloor)], cancellationToken).ConfigureAwait(false);
            var moves = await ExecuteAsync(connection, transaction, DeleteMovesSql, [("@floor", newFloor)], cancellationToken).ConfigureAwait(false);
            var batches = await ExecuteAsync(
                connection, transaction, DeleteBatchesSql, [("@session_bound", SessionBound(cutoff))], cancellationToken).ConfigureAwait(false);
            var sessions = await ExecuteAsync(
                connection, transaction, DeleteSessionsSql, [("@cutoff", TimestampValue(cutoff))], cancellationToken).ConfigureAwait(false);
            var marks = await ExecuteAsync(connection, transaction, DeleteMarksSql, [("@cutoff", MarkTimeValue(cutoff))], cancellationToken).ConfigureAwait(false);
            await WriteFloorAsync(connection, transaction, newFloor, now, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new PurgeCounts(tombstones, moves, batches, sessions, marks, newFloor);
        }, cancellationToken).ConfigureAwait(false);
    }

    public abstract Task<IReinitialisation> BeginReinitialiseAsync(CancellationToken cancellationToken);

    public abstract Task<IBulkLoadTransaction> BeginReloadAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="floor"/> as the purge floor inside a caller's transaction (the floor is not lowered here: callers pass the maximum).</summary>
    protected async Task WriteFloorAsync(DbConnection connection, DbTransaction? transaction, long floor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        (string, object?)[] parameters = [("@floor", floor), ("@now", TimestampValue(now))];
        if (await ExecuteAsync(connection, transaction, UpdateFloorSql, parameters, cancellationToken).ConfigureAwait(false) == 0)
        {
            await ExecuteAsync(connection, transaction, InsertFloorSql, parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    protected static async Task<long> ReadFloorAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = Command(connection, transaction, SelectFloorSql);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<ChildCheckpoint>> ReadChildrenAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, SelectChildrenSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var children = new List<ChildCheckpoint>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            children.Add(new ChildCheckpoint(ReadUuid(reader, 0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), ReadTimestamp(reader, 2)));
        }

        return children;
    }

    /// <summary>Upgrades a node provisioned before the retention tables existed, once per instance.</summary>
    protected async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_tablesReady)
        {
            return;
        }

        var present = await RunAsync(async connection =>
        {
            await using var command = Command(connection, null, TablesExistSql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        if (present < 2)
        {
            if (!await _tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new SyncConfigurationException("This database is not provisioned for sync, so it has no history to keep or purge; sync it first.");
            }

            await _tracking.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        }

        _tablesReady = true;
    }

    protected static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    protected static void AddParameter(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// The smallest id a UUID v7 session (<c>Guid.CreateVersion7</c>, whose first 48 bits are its start in Unix
    /// milliseconds) started at <paramref name="cutoff"/> can have: ids below it in byte order started earlier. As the
    /// provider compares it (PostgreSQL: uuid; SQLite: lowercase text; SQL Server: text).
    /// </summary>
    protected virtual object SessionBound(DateTimeOffset cutoff) => SessionBoundId(cutoff);

    /// <summary>See <see cref="SessionBound"/>.</summary>
    protected static Guid SessionBoundId(DateTimeOffset cutoff)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = Math.Max(0, cutoff.ToUnixTimeMilliseconds());
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        bytes[6] = 0x70;
        bytes[8] = 0x80;
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A UUID as a parameter value (SQLite: lowercase text).</summary>
    protected virtual object UuidValue(Guid value) => value;

    protected virtual Guid ReadUuid(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetGuid(ordinal);
    }

    /// <summary>A time as a parameter of the timestamp columns (<c>purged_at</c>, <c>updated_at</c>); UTC.</summary>
    protected virtual object TimestampValue(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>A time as a parameter of <c>unionsync_watermark_marks.recorded_at</c>; by default as <see cref="TimestampValue"/>.</summary>
    protected virtual object MarkTimeValue(DateTimeOffset value) => TimestampValue(value);

    protected virtual DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
    }

    /// <summary>The provider's one translation of its driver's errors (CONVENTIONS §4).</summary>
    protected abstract Exception Translate(DbException exception);

    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            throw Translate(ex);
        }
    }
}
