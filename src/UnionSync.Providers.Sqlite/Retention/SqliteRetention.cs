using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Providers.Sqlite.Apply;
using UnionSync.Providers.Sqlite.Bulk;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Metadata;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite.Retention;

/// <summary>
/// Retention on SQLite (docs/sync-engine.md §9). The watermark is the version counter, which is commit order (one
/// writer at a time), so a watermark <c>W</c> covers versions up to <c>W</c>, and "written after the upload" is exactly
/// "version above the upload's watermark". Before tracking rows go, <c>unionsync_node.version_floor</c> is raised so that
/// the counter never goes back (Tracking/provision.sql). Marks keep their time as Unix milliseconds: the ISO text of the
/// other tables does not sort by time when the fraction is left out.
/// </summary>
internal sealed class SqliteRetention : SqlRetention
{
    /// <summary>A local change (or one from this node's own children) newer than the upload: one seek on the version index.</summary>
    private const string PendingSql =
        "SELECT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.version > @uploaded AND (t.source_peer_no IS NULL OR " +
        "t.source_peer_no NOT IN (SELECT n.node_no FROM unionsync_nodes AS n WHERE n.node_id = @parent)))";

    /// <summary>
    /// Everything of the scope goes, children first; the counter steps past every watermark handed out so far, and that
    /// step becomes the purge floor. Tracking rows go after the raise of the floor that keeps the counter from going back.
    /// </summary>
    private const string ClearSql =
        SqliteVersionSql.RaiseFloor + "; " +
        "UPDATE unionsync_node SET version_floor = version_floor + 1; " +
        "DELETE FROM service_cards; DELETE FROM members; DELETE FROM organizations; " +
        "DELETE FROM unionsync_tracking; DELETE FROM unionsync_moves; " +
        "DELETE FROM unionsync_base_organizations; DELETE FROM unionsync_base_members; DELETE FROM unionsync_base_service_cards;";

    private const string VersionFloorSql = "SELECT version_floor FROM unionsync_node";

    private readonly SqliteFileDataSource _dataSource;
    private readonly TimeProvider _timeProvider;

    public SqliteRetention(SqliteFileDataSource dataSource, IChangeTracker tracking, TimeProvider timeProvider)
        : base(dataSource, tracking)
    {
        _dataSource = dataSource;
        _timeProvider = timeProvider;
    }

    protected override string TablesExistSql =>
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('unionsync_watermark_marks', 'unionsync_retention')";

    protected override string DeleteTombstonesSql => "DELETE FROM unionsync_tracking WHERE deleted = 1 AND version <= @floor";

    protected override string DeleteMovesSql => "DELETE FROM unionsync_moves WHERE version <= @floor";

    protected override string DeleteBatchesSql =>
        "DELETE FROM unionsync_applied_batches WHERE substr(session_id, 15, 1) = '7' AND session_id < @session_bound";

    protected override string? BeforePurgeSql => SqliteVersionSql.RaiseFloor;

    public override Task<IReinitialisation> BeginReinitialiseAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReinitialisation>(new Reinitialisation(this));

    public override async Task<IBulkLoadTransaction> BeginReloadAsync(CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A reload copies the parent's rows verbatim, as an initial load does.
            await SqliteBulkLoader.PrepareAsync(connection, verbatimCopy: true, cancellationToken).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: false);
            await ExecuteAsync(connection, transaction, SqliteApplySql.InsertGuard, [], cancellationToken).ConfigureAwait(false);
            var triggers = await SqliteAppendTriggers.SetAsideAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            return new SqliteReloadTransaction(new SqliteBulkLoadTransaction(connection, transaction, walToRestore: null), connection, transaction, triggers);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override object SessionBound(DateTimeOffset cutoff) => SqliteStoredForm.FormatUuid(SessionBoundId(cutoff));

    protected override object UuidValue(Guid value) => SqliteStoredForm.FormatUuid(value);

    protected override Guid ReadUuid(DbDataReader reader, int ordinal) => SqliteStoredForm.ParseUuid(reader.GetString(ordinal));

    protected override object TimestampValue(DateTimeOffset value) =>
        SqliteStoredForm.FormatTimestamp(SqliteStoredForm.TruncateToMicroseconds(value.UtcDateTime));

    protected override object MarkTimeValue(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        new(SqliteStoredForm.ParseTimestamp(reader.GetString(ordinal)));

    protected override Exception Translate(DbException exception) =>
        exception is SqliteException sqlite ? SqliteErrorTranslator.Translate(sqlite, table: null) : exception;

    private async Task<bool> ClearAsync(Guid parent, long uploadedWatermark, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = (SqliteConnection)await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await SqliteChangeLog.FoldAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await using (var pending = Command(connection, transaction, PendingSql))
            {
                AddParameter(pending, "@uploaded", uploadedWatermark);
                AddParameter(pending, "@parent", UuidValue(parent));
                if (Convert.ToInt64(await pending.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0)
                {
                    return false;
                }
            }

            await ExecuteAsync(connection, transaction, SqliteApplySql.InsertGuard, [], cancellationToken).ConfigureAwait(false);
            var triggers = await SqliteAppendTriggers.SetAsideAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, ClearSql, [], cancellationToken).ConfigureAwait(false);
            await SqliteAppendTriggers.RestoreAsync(connection, transaction, triggers, cancellationToken).ConfigureAwait(false);
            long floor;
            await using (var read = Command(connection, transaction, VersionFloorSql))
            {
                floor = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            floor = Math.Max(floor, await ReadFloorAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            await WriteFloorAsync(connection, transaction, floor, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, SqliteApplySql.DeleteGuard, [], cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }
    }

    /// <summary>
    /// Nothing to hold on SQLite: the version counter is commit order, so <see cref="ClearAsync"/> sees exactly what was
    /// written after the upload, under the file's write lock.
    /// </summary>
    private sealed class Reinitialisation(SqliteRetention retention) : IReinitialisation
    {
        public Task<bool> ClearAsync(Guid parent, long uploadedWatermark, CancellationToken cancellationToken) =>
            retention.ClearAsync(parent, uploadedWatermark, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
