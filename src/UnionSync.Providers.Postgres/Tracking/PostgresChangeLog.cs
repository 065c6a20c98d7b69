using System.Data;
using Npgsql;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>
/// Folds the local change log (<c>unionsync_changes</c>, appended to by the statement triggers of Tracking/provision.sql)
/// into <c>unionsync_tracking</c>. A trigger that only appends costs a plain UPDATE one insert per row; the upsert of
/// the tracking row and its indexes is paid here, once per sync, set-based. Anything that reads tracking folds first: a
/// snapshot before it is taken (<see cref="FoldPendingAsync"/>), an apply for the rows it has locked and is about to
/// read and write (<see cref="FoldKeysSql"/>).
/// </summary>
/// <remarks>
/// <para>
/// A folded row's <c>txid</c> is the folding transaction's, not the writer's: the fold is one more writer of tracking,
/// and the watermark rule holds for it as it did for the triggers (a fold that commits after a snapshot has an id at or
/// above that snapshot's <c>xmin</c>, so the next session ships its rows). A write committed after a fold waits in the
/// log for the next one.
/// </para>
/// <para>
/// Per key, the log rows collapse into one change: the largest of their versions, kept above the tracking row's previous
/// version and origin (the same rule the triggers applied row by row). Whether it is a tombstone is read from the data
/// table, in the fold's own snapshot: the row is there (an upsert), or it is gone and the log holds a delete of it (a
/// tombstone with that delete's organisation). A key whose row is gone with no delete in the log (the engine removed it
/// locally, its triggers standing aside) is dropped: that is not a change of this node.
/// </para>
/// <para>
/// Locks: the pre-snapshot fold takes only the log rows nobody holds (<c>SKIP LOCKED</c>) and gives up after
/// <see cref="PendingLockTimeout"/> on a tracking row another transaction is writing (an apply): its rows then wait for
/// the next fold, and the snapshot never waits behind an apply. An apply folds the keys it has locked, so no writer can
/// add to their log meanwhile, and its own writes of those rows come after what the log held.
/// </para>
/// </remarks>
internal static class PostgresChangeLog
{
    /// <summary>How long the pre-snapshot fold waits for a tracking row another transaction holds before it leaves the log as it is.</summary>
    public const string PendingLockTimeout = "500ms";

    private const string LockNotAvailable = "55P03";

    /// <summary>Everything in the log that no other transaction is folding.</summary>
    public static readonly string FoldPendingSql =
        $"SET LOCAL lock_timeout = '{PendingLockTimeout}'; " +
        Fold("l.ctid = ANY (ARRAY(SELECT c.ctid FROM unionsync_changes c FOR UPDATE SKIP LOCKED))");

    private static readonly string[] KeyedFolds = [.. Enumerable.Range(1, 3).Select(table => Fold($"l.tbl = {table} AND l.id = ANY(@keys)"))];

    /// <summary>The log rows of keys <c>@keys</c> of one table (by number: 1 organizations, 2 members, 3 service_cards), in the caller's transaction.</summary>
    public static string FoldKeysSql(int table) => KeyedFolds[table - 1];

    /// <summary>
    /// Before a snapshot is taken: folds the log in a short transaction of its own on <paramref name="connection"/>. When
    /// a row it needs is held by another transaction past <see cref="PendingLockTimeout"/>, nothing is folded this time.
    /// </summary>
    public static async Task FoldPendingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(FoldPendingSql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == LockNotAvailable)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks><c>placed</c> is materialised: inlined, its probe of the data table ran once for each of the three places that read <c>present</c>.</remarks>
    private static string Fold(string pick) =>
        $"WITH log AS (DELETE FROM unionsync_changes l WHERE {pick} RETURNING l.tbl, l.id, l.version, l.deleted, l.scope_org), " +
        "keyed AS (SELECT tbl, id, max(version) AS version, bool_or(deleted) AS any_delete, " +
        "(array_agg(scope_org ORDER BY version DESC) FILTER (WHERE deleted))[1] AS scope_org FROM log GROUP BY tbl, id), " +
        "placed AS MATERIALIZED (SELECT k.tbl, k.id, k.version, k.any_delete, k.scope_org, CASE k.tbl " +
        "WHEN 1 THEN EXISTS (SELECT 1 FROM organizations r WHERE r.id = k.id) " +
        "WHEN 2 THEN EXISTS (SELECT 1 FROM members r WHERE r.id = k.id) " +
        "ELSE EXISTS (SELECT 1 FROM service_cards r WHERE r.id = k.id) END AS present FROM keyed k) " +
        "INSERT INTO unionsync_tracking AS t (tbl, id, version, txid, origin_node_no, origin_version, source_peer_no, deleted, scope_org) " +
        "SELECT p.tbl, p.id, p.version, pg_current_xact_id(), (SELECT node_no FROM unionsync_node), p.version, NULL, NOT p.present, " +
        "CASE WHEN p.present THEN NULL ELSE p.scope_org END FROM placed p WHERE p.present OR p.any_delete ORDER BY p.tbl, p.id " +
        "ON CONFLICT (tbl, id) DO UPDATE SET version = greatest(EXCLUDED.version, t.version + 1, t.origin_version + 1), txid = EXCLUDED.txid, " +
        "origin_node_no = EXCLUDED.origin_node_no, origin_version = greatest(EXCLUDED.version, t.version + 1, t.origin_version + 1), " +
        "source_peer_no = NULL, deleted = EXCLUDED.deleted, scope_org = EXCLUDED.scope_org";
}
