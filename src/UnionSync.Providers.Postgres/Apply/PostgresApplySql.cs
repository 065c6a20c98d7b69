using System.Collections.Concurrent;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>
/// The SQL of one table's apply path, built once: a staging temp table filled by binary COPY (kind 0 upsert, 1 delete),
/// then one set-based merge. The tracking triggers stand aside (<c>unionsync.applying</c>), so the merge writes the
/// tracking rows itself: a new local version, the incoming origin, base := origin, source peer := the sender. Base rows
/// (docs/sync-engine.md §11) too: a parent's change makes its row agreed again (its base row goes); a child's keeps the
/// row as it was here where no base row is kept yet (the row as this node agreed it with its own parent).
/// Built for the description's columns: the contract's, and any added columns it carries (docs/sync-engine.md §10); an
/// upsert writes those columns only, so an update leaves the row's other columns as they are and an insert leaves them NULL.
/// </summary>
internal sealed class PostgresApplySql
{
    public const string ApplyingSql = "SET LOCAL unionsync.applying = 'on'";

    public const string IsBatchAppliedSql =
        "SELECT EXISTS (SELECT 1 FROM unionsync_applied_batches WHERE session_id = @session AND direction = @direction AND batch_no = @batch)";

    public const string RecordBatchSql =
        "INSERT INTO unionsync_applied_batches (session_id, direction, batch_no) VALUES (@session, @direction, @batch)";

    public const string MemberOrganizationsSql = "SELECT id, organization_id FROM members WHERE id = ANY(@keys)";

    /// <summary>Those of the organisations <c>@keys</c> that exist and lie in the subtree of <c>@root</c>, walked up from each.</summary>
    public const string OrganizationsInSubtreeSql =
        "WITH RECURSIVE up (org, id) AS (SELECT o.id, o.id FROM organizations o WHERE o.id = ANY(@keys) " +
        PostgresChangeSql.WalkUpStep + ") SELECT DISTINCT org FROM up WHERE id = @root";

    public const string MembersByIdNumberSql = "SELECT id, id_number::text FROM members WHERE id_number = ANY(@values::bpchar[])";

    public const string CardsByNumberSql = "SELECT id, card_number FROM service_cards WHERE card_number = ANY(@values)";

    /// <summary>Raises this node's HLC floor to <c>@floor</c>, the largest origin version applied (the receive rule); a no-op, and no lock, when it is higher.</summary>
    public const string RaiseHlcFloorSql = "UPDATE unionsync_node SET hlc_floor = @floor WHERE hlc_floor < @floor";

    /// <summary>
    /// A version of this node's own clock for a change the engine writes as this node's, taken as the triggers take theirs
    /// (Tracking/provision.sql: the wall clock shifted left 16 bits or the floor + 1, plus the low bits of a sequence
    /// value), above <c>@above</c>, and made the floor: concurrent calls queue on the node row and each gets more than the
    /// last, and every later local write gets more than it.
    /// </summary>
    public const string NextOwnVersionSql =
        "UPDATE unionsync_node SET hlc_floor = greatest((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint + clock_offset_ms) << 16, " +
        "hlc_floor + 1, @above + 1) + nextval('unionsync_version_seq') % 65536 RETURNING hlc_floor";

    public const string MovesSql =
        "SELECT tbl, id, from_org, to_org, txid::text::bigint FROM unionsync_moves " +
        "WHERE tbl = @tbl AND id = ANY(@keys) AND txid >= (@since::bigint)::text::xid8 ORDER BY move_no";

    private static readonly PostgresApplySql[] Contract = [.. PostgresTrackedTable.All.Select(t => new PostgresApplySql(t))];
    private static readonly ConcurrentDictionary<PostgresTrackedTable, PostgresApplySql> WithExtras = new();

    private PostgresApplySql(PostgresTrackedTable table)
    {
        var stage = $"pg_temp.{table.StageName}";
        var columns = table.Table.Columns;
        StageTable = stage;
        CreateStageSql =
            $"CREATE TEMP TABLE {table.StageName} (kind smallint NOT NULL, origin_node uuid, origin_version bigint, scope_org uuid, " +
            string.Join(", ", columns.Select(c => $"\"{c.Name}\" {StageType(c)}")) + ") ON COMMIT DROP";
        TruncateStageSql = $"TRUNCATE {stage}";
        CopySql = $"COPY {stage} (kind, origin_node, origin_version, scope_org, {table.Columns}) FROM STDIN (FORMAT BINARY)";

        RegisterNodesSql =
            "INSERT INTO unionsync_nodes (node_id) SELECT DISTINCT u.node_id FROM " +
            $"(SELECT origin_node AS node_id FROM {stage} UNION ALL SELECT @peer) u WHERE u.node_id IS NOT NULL " +
            "ORDER BY u.node_id ON CONFLICT (node_id) DO NOTHING";

        var newScope = table.ScopeColumn == "member_id"
            ? "(SELECT nm.organization_id FROM members nm WHERE nm.id = s.member_id)"
            : $"s.\"{table.ScopeColumn}\"";
        var oldScope = table.LocalScopeOrg;
        LogMovesSql =
            "INSERT INTO unionsync_moves (version, txid, tbl, id, from_org, to_org) " +
            $"SELECT nextval('unionsync_version_seq'), pg_current_xact_id(), {table.Number}, c.id, c.from_org, c.to_org FROM " +
            $"(SELECT s.id, {oldScope} AS from_org, {newScope} AS to_org FROM {stage} s JOIN \"{table.Name}\" r ON r.id = s.id " +
            $"WHERE s.kind = 0 AND r.\"{table.ScopeColumn}\" IS DISTINCT FROM s.\"{table.ScopeColumn}\" " +
            $"UNION ALL SELECT s.id, t.scope_org, {newScope} FROM {stage} s " +
            $"JOIN unionsync_tracking t ON t.tbl = {table.Number} AND t.id = s.id AND t.deleted AND t.scope_org IS NOT NULL " +
            $"WHERE s.kind = 0 AND NOT EXISTS (SELECT 1 FROM \"{table.Name}\" r WHERE r.id = s.id)) c " +
            "WHERE c.from_org IS DISTINCT FROM c.to_org ORDER BY c.id";

        WriteTrackingSql = WriteTracking(table, stage, oldScope, baseFromOrigin: true);
        WriteTrackingFromChildSql = WriteTracking(table, stage, oldScope, baseFromOrigin: false);

        var updates = string.Join(", ", columns.Where(c => c.Name != table.Table.KeyColumn).Select(c => $"\"{c.Name}\" = EXCLUDED.\"{c.Name}\""));
        UpsertSql =
            $"INSERT INTO \"{table.Name}\" ({table.Columns}) SELECT {table.Columns} FROM {stage} WHERE kind = 0 ORDER BY id " +
            $"ON CONFLICT (id) DO UPDATE SET {updates}";
        DeleteSql = $"DELETE FROM \"{table.Name}\" r USING {stage} s WHERE s.kind = 1 AND r.id = s.id";

        // Base rows hold the contract's columns only, whatever columns the description carries.
        var contract = PostgresTrackedTable.For(table.Name);
        KeepBaseRowsSql =
            $"INSERT INTO {table.BaseTable} ({contract.Columns}) SELECT {contract.RowColumns} FROM \"{table.Name}\" r " +
            $"JOIN {stage} s ON s.id = r.id WHERE s.kind = 0 AND EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {table.Number}) " +
            "ORDER BY r.id ON CONFLICT (id) DO NOTHING";
        DeleteBaseRowsSql = $"DELETE FROM {table.BaseTable} b USING {stage} s WHERE b.id = s.id";
        DropBaseRowsSql = $"DELETE FROM {table.BaseTable} b WHERE b.id = ANY(@keys)";
        MergeSql = [RegisterNodesSql, LogMovesSql, WriteTrackingSql, UpsertSql, DeleteSql, DeleteBaseRowsSql];
        MergeFromChildSql = [RegisterNodesSql, LogMovesSql, WriteTrackingFromChildSql, KeepBaseRowsSql, UpsertSql, DeleteSql];

        LockSql = $"SELECT id FROM \"{table.Name}\" WHERE id = ANY(@keys) ORDER BY id FOR UPDATE";
        ReadCurrentSql =
            "SELECT k.id, r.id IS NULL, onode.node_id, t.origin_version, sp.node_id, COALESCE(t.txid::text::bigint, 0), " +
            $"{table.RowColumns} FROM unnest(@keys) AS k(id) " +
            $"LEFT JOIN \"{table.Name}\" r ON r.id = k.id " +
            $"LEFT JOIN unionsync_tracking t ON t.tbl = {table.Number} AND t.id = k.id " +
            "LEFT JOIN unionsync_nodes onode ON onode.node_no = t.origin_node_no " +
            "LEFT JOIN unionsync_nodes sp ON sp.node_no = t.source_peer_no " +
            "WHERE r.id IS NOT NULL OR t.id IS NOT NULL";
        RemoveLocallySql = PostgresRemovalSql.For(table);

        // The backfill of added columns: only where the row holds NULL, and only rows that change (no needless row versions).
        var extras = table.Table.ExtraColumns;
        FillSql = extras.Count == 0
            ? null
            : $"UPDATE \"{table.Name}\" r SET " +
              string.Join(", ", extras.Select(c => $"\"{c.Name}\" = COALESCE(r.\"{c.Name}\", s.\"{c.Name}\")")) +
              $" FROM {stage} s WHERE s.kind = 0 AND r.id = s.id AND (" +
              string.Join(" OR ", extras.Select(c => $"(r.\"{c.Name}\" IS NULL AND s.\"{c.Name}\" IS NOT NULL)")) + ")";
    }

    /// <summary>Ordinal of the first row value in <see cref="ReadCurrentSql"/>.</summary>
    public const int CurrentValuesOrdinal = 6;

    public string StageTable { get; }

    public string CreateStageSql { get; }

    public string TruncateStageSql { get; }

    public string CopySql { get; }

    public string RegisterNodesSql { get; }

    /// <summary>
    /// Before the merge: a move for each upsert that changes the scope column of an existing row, and for each upsert that
    /// brings a row back over its tombstone at another organisation than the tombstone's (this node's children may still
    /// hold the row where it sat before the delete).
    /// </summary>
    public string LogMovesSql { get; }

    /// <summary>Before the merge (a tombstone's scope organisation is read from the row still there).</summary>
    public string WriteTrackingSql { get; }

    /// <summary>As <see cref="WriteTrackingSql"/> for a child's changes: the base stays what this node agreed with its own parent.</summary>
    public string WriteTrackingFromChildSql { get; }

    public string UpsertSql { get; }

    public string DeleteSql { get; }

    /// <summary>
    /// Before the merge of a child's changes: the rows of its upserts as they are here, kept as base rows where none is, when
    /// the table is in <c>unionsync_base_capture</c> (an uncorrelated test, evaluated once).
    /// </summary>
    public string KeepBaseRowsSql { get; }

    /// <summary>The base rows of every key of a parent's changes: the rows are agreed again.</summary>
    public string DeleteBaseRowsSql { get; }

    /// <summary>Drops the base rows of the keys <c>@keys</c> (uploaded and held by the parent: agreed as they are).</summary>
    public string DropBaseRowsSql { get; }

    /// <summary>A parent's changes, in order, in one round trip (parameter <c>@peer</c>).</summary>
    public IReadOnlyList<string> MergeSql { get; }

    /// <summary>A child's changes, in order, in one round trip (parameter <c>@peer</c>): the base stays, base rows are kept.</summary>
    public IReadOnlyList<string> MergeFromChildSql { get; }

    public string LockSql { get; }

    public string ReadCurrentSql { get; }

    public IReadOnlyList<string> RemoveLocallySql { get; }

    /// <summary>
    /// Fills the added columns from the staged upserts where the row holds NULL; null when the description has no added
    /// columns. Run with the triggers standing aside: no tracking row, no version.
    /// </summary>
    public string? FillSql { get; }

    public static PostgresApplySql For(TableDescription table) => For(PostgresTrackedTable.For(table));

    public static PostgresApplySql For(PostgresTrackedTable table) =>
        table.Table.ExtraColumns.Count == 0 ? Contract[table.Number - 1] : WithExtras.GetOrAdd(table, static t => new PostgresApplySql(t));

    private static string WriteTracking(PostgresTrackedTable table, string stage, string oldScope, bool baseFromOrigin) =>
        "INSERT INTO unionsync_tracking AS t (tbl, id, version, txid, origin_node_no, origin_version, base_node_no, base_version, " +
        "source_peer_no, deleted, scope_org) " +
        $"SELECT {table.Number}, c.id, nextval('unionsync_version_seq'), pg_current_xact_id(), c.origin_no, c.origin_version, " +
        (baseFromOrigin ? "c.origin_no, c.origin_version, " : "NULL, NULL, ") +
        "(SELECT p.node_no FROM unionsync_nodes p WHERE p.node_id = @peer), c.kind = 1, " +
        "CASE WHEN c.kind = 1 THEN COALESCE(c.local_scope, c.scope_org) END FROM " +
        $"(SELECT s.id, s.kind, s.origin_version, s.scope_org, o.node_no AS origin_no, {oldScope} AS local_scope FROM {stage} s " +
        "LEFT JOIN unionsync_nodes o ON o.node_id = s.origin_node " +
        $"LEFT JOIN \"{table.Name}\" r ON r.id = s.id) c ORDER BY c.id " +
        "ON CONFLICT (tbl, id) DO UPDATE SET version = EXCLUDED.version, txid = EXCLUDED.txid, origin_node_no = EXCLUDED.origin_node_no, " +
        "origin_version = EXCLUDED.origin_version, " +
        (baseFromOrigin ? "base_node_no = EXCLUDED.base_node_no, base_version = EXCLUDED.base_version, " : string.Empty) +
        "source_peer_no = EXCLUDED.source_peer_no, deleted = EXCLUDED.deleted, scope_org = EXCLUDED.scope_org";

    private static string StageType(ColumnDescription column) => column.Type switch
    {
        ColumnType.Uuid => "uuid",
        ColumnType.Text => "text",
        ColumnType.FixedText => $"char({column.Length})",
        ColumnType.SmallInt => "smallint",
        ColumnType.BigInt => "bigint",
        ColumnType.Boolean => "boolean",
        ColumnType.Date => "date",
        ColumnType.Timestamp => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };
}
