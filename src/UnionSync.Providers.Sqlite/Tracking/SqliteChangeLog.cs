using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// Folds the local change log (<c>unionsync_changes</c>, appended to by the row triggers) into
/// <c>unionsync_tracking</c> (Tracking/provision.sql). A trigger that only appends costs a plain UPDATE little; the
/// versions, the upsert of the tracking row and its version index are paid here, once per sync, set-based.
/// Anything that reads tracking folds first: an apply transaction at its start, a snapshot before it is taken.
/// </summary>
internal static class SqliteChangeLog
{
    /// <summary>
    /// The n-th log row (in append order) gets <c>n + max(m, max over rows j ≤ n of (h_j − j))</c>, where <c>m</c> is the
    /// last version handed out and <c>h_j</c> the row's wall clock shifted left 16 bits: exactly what handing out
    /// <c>max(previous + 1, version_floor + 1, h)</c> row by row gives. A key logged twice keeps its last row. The log
    /// keeps each write's clock without the node's clock offset (the triggers read nothing but their row); it is added here.
    /// </summary>
    public const string FoldSql =
        "INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org) " +
        "SELECT f.tbl, f.id, f.v, 1, f.v, NULL, f.deleted, f.scope_org FROM (" +
        "SELECT r.seq, r.tbl, r.id, r.deleted, r.scope_org, r.rn + max(r.m, max(r.h - r.rn) OVER (ORDER BY r.seq ROWS UNBOUNDED PRECEDING)) AS v FROM (" +
        "SELECT c.seq, c.tbl, c.id, c.deleted, c.scope_org, row_number() OVER (ORDER BY c.seq) AS rn, (c.wall_ms + n.clock_offset_ms) << 16 AS h, " +
        $"{SqliteVersionSql.CurrentVersion} AS m FROM unionsync_changes AS c, unionsync_node AS n) AS r) AS f " +
        "WHERE true ORDER BY f.seq " +
        "ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = 1, origin_version = excluded.origin_version, " +
        "source_peer_no = NULL, deleted = excluded.deleted, scope_org = excluded.scope_org; " +
        "DELETE FROM unionsync_changes;";

    private const string LogExistsSql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'unionsync_changes'";

    private const string AnyPendingSql = "SELECT EXISTS (SELECT 1 FROM unionsync_changes)";

    /// <summary>Folds the log inside the caller's write transaction (which holds the file's write lock, so nothing is appended meanwhile).</summary>
    public static async Task FoldAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (!await AnyPendingAsync(command, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        command.CommandText = FoldSql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Before a snapshot: when the log holds rows, folds them in a short write transaction of its own. A write that comes
    /// after it stays in the log; folded later, it gets a version above every one this snapshot can see.
    /// </summary>
    public static async Task FoldPendingAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var probe = connection.CreateCommand())
        {
            if (!await AnyPendingAsync(probe, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        await FoldAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the log holds rows; false without a log (metadata older than version 5, upgraded at the session's start).</summary>
    private static async Task<bool> AnyPendingAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        command.CommandText = LogExistsSql;
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            return false;
        }

        command.CommandText = AnyPendingSql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! != 0;
    }
}
