using System.Collections.Concurrent;
using UnionSync.Providers.Sqlite.Tracking;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>The statements of an apply transaction for one table, built once; parameters are reused per row.</summary>
internal sealed class SqliteApplySql
{
    /// <summary>
    /// Taken right after <c>BEGIN IMMEDIATE</c> (and after a fold, which empties the log): the guard row holds the log's
    /// last seq, so that <see cref="DeleteGuard"/> knows which log rows this transaction's own writes appended.
    /// </summary>
    public const string InsertGuard =
        "INSERT INTO unionsync_apply_guard (id) SELECT coalesce(max(seq), 0) FROM unionsync_changes " +
        "WHERE NOT EXISTS (SELECT 1 FROM unionsync_apply_guard)";

    /// <summary>
    /// Run just before COMMIT: the engine's writes are not local changes, so what the append triggers logged for them goes
    /// (the write lock has been held since <see cref="InsertGuard"/>: nobody else appended), and so does the guard.
    /// </summary>
    public const string DeleteGuard =
        "DELETE FROM unionsync_changes WHERE seq > (SELECT id FROM unionsync_apply_guard); DELETE FROM unionsync_apply_guard";

    public const string IsBatchApplied =
        "SELECT count(*) FROM unionsync_applied_batches WHERE session_id = @session AND direction = @direction AND batch_no = @batch";

    public const string RecordBatch =
        "INSERT OR IGNORE INTO unionsync_applied_batches (session_id, direction, batch_no) VALUES (@session, @direction, @batch)";

    public const string InsertNode = "INSERT OR IGNORE INTO unionsync_nodes (node_id) VALUES (@node)";

    public const string SelectNode = "SELECT node_no FROM unionsync_nodes WHERE node_id = @node";

    public const string SetFloor = "UPDATE unionsync_node SET version_floor = max(version_floor, @version)";

    public const string UpsertTracking =
        "INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, base_node_no, base_version, source_peer_no, deleted, scope_org) " +
        "VALUES (@tbl, @id, @version, @origin, @origin_version, @origin, @origin_version, @source, @deleted, @scope) " +
        "ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = excluded.origin_node_no, " +
        "origin_version = excluded.origin_version, base_node_no = excluded.base_node_no, base_version = excluded.base_version, " +
        "source_peer_no = excluded.source_peer_no, deleted = excluded.deleted, scope_org = excluded.scope_org";

    /// <summary>As <see cref="UpsertTracking"/>, keeping the base this node agreed with its own parent (changes from a child).</summary>
    public const string UpsertTrackingKeepBase =
        "INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, base_node_no, base_version, source_peer_no, deleted, scope_org) " +
        "VALUES (@tbl, @id, @version, @origin, @origin_version, NULL, NULL, @source, @deleted, @scope) " +
        "ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = excluded.origin_node_no, " +
        "origin_version = excluded.origin_version, source_peer_no = excluded.source_peer_no, deleted = excluded.deleted, scope_org = excluded.scope_org";

    public const string DeleteTracking = "DELETE FROM unionsync_tracking WHERE tbl = @tbl AND id = @id";

    public const string InsertMove =
        "INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org) VALUES (@version, @tbl, @id, @from, @to)";

    public const string MemberOrganization = "SELECT organization_id FROM members WHERE id = @id";

    /// <summary>Key and organisation of the members among the keys in the JSON array <c>@keys</c> (<see cref="SqliteJsonArray"/>).</summary>
    public const string MemberOrganizations = "SELECT id, organization_id FROM members WHERE id IN (SELECT value FROM json_each(@keys))";

    /// <summary>Those of the organisations <c>@keys</c> that exist and lie in the subtree of <c>@root</c>, walked up from each.</summary>
    public const string OrganizationsInSubtree =
        "WITH RECURSIVE up (org, id) AS (SELECT o.id, o.id FROM organizations AS o WHERE o.id IN (SELECT value FROM json_each(@keys)) " +
        SqliteChangeSql.WalkUpStep + ") SELECT DISTINCT org FROM up WHERE id = @root";

    /// <summary>Where a row absent here last sat: its tombstone's scope organisation (no result without a tombstone).</summary>
    public const string TombstoneScope = "SELECT scope_org FROM unionsync_tracking WHERE tbl = @tbl AND id = @id AND deleted = 1";

    /// <summary>ID number and key of the members holding the ID numbers in the JSON array <c>@values</c>.</summary>
    public const string MembersByIdNumbers = "SELECT id_number, id FROM members WHERE id_number IN (SELECT value FROM json_each(@values))";

    /// <summary>Card number and key of the cards holding the numbers in the JSON array <c>@values</c>.</summary>
    public const string CardsByNumbers = "SELECT card_number, id FROM service_cards WHERE card_number IN (SELECT value FROM json_each(@values))";

    private static readonly ConcurrentDictionary<SqliteTrackedTable, SqliteApplySql> WithExtras = new();

    private readonly ConcurrentDictionary<ulong, string> _updates = new();
    private readonly SqliteTrackedTable _table;

    private static readonly Lazy<SqliteApplySql>[] Instances =
        [.. SqliteTrackedTable.All.Select(t => new Lazy<SqliteApplySql>(() => new SqliteApplySql(t)))];

    private SqliteApplySql(SqliteTrackedTable table)
    {
        var columns = table.Table.Columns;
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        var values = string.Join(", ", columns.Select((_, i) => $"@p{i}"));
        var updates = string.Join(", ", columns.Where(c => c.Name != table.Table.KeyColumn).Select(c => $"\"{c.Name}\" = excluded.\"{c.Name}\""));
        UpsertParameters = [.. columns.Select((_, i) => $"@p{i}")];
        ScopeOrdinal = table.Table.IndexOf(table.ScopeColumn);
        Upsert = $"INSERT INTO \"{table.Name}\" ({names}) VALUES ({values}) ON CONFLICT (\"{table.Table.KeyColumn}\") DO UPDATE SET {updates}";
        Delete = $"DELETE FROM \"{table.Name}\" WHERE id = @id";
        var extras = table.Table.ExtraColumns;
        if (extras.Count > 0)
        {
            FillParameters = ["@id", .. extras.Select((_, i) => $"@f{i}")];
            FillExtras = $"UPDATE \"{table.Name}\" SET " +
                string.Join(", ", extras.Select((c, i) => $"\"{c.Name}\" = coalesce(\"{c.Name}\", @f{i})")) + " WHERE id = @id";
        }
        var tombstoneScope = table.Number switch
        {
            1 => "d.parent_id",
            2 => "d.organization_id",
            _ => "sm.organization_id",
        };
        ReadOld = $"SELECT {tombstoneScope}, {table.DataColumns} FROM \"{table.Name}\" AS d{table.OrganizationJoin} WHERE d.id = @id";
        _table = table;
        Current =
            $"SELECT k.key, {SqliteIdentityColumns.Select}, {table.DataColumns} FROM json_each(@keys) AS k " +
            $"LEFT JOIN unionsync_tracking AS t ON t.tbl = {table.Number} AND t.id = k.value " +
            $"LEFT JOIN \"{table.Name}\" AS d ON d.id = k.value{SqliteIdentityColumns.NodeJoins}";
        var contract = string.Join(", ", Sync.Schema.SyncTables.Named(table.Name).Columns.Select(c => $"\"{c.Name}\""));
        CaptureBase = $"INSERT OR IGNORE INTO unionsync_base_{table.Name} ({contract}) SELECT {contract} FROM \"{table.Name}\" " +
            $"WHERE id = @id AND EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {table.Number})";
        DropBase = $"DELETE FROM unionsync_base_{table.Name} WHERE id = @id";
        AnyBase = $"SELECT EXISTS (SELECT 1 FROM unionsync_base_{table.Name})";
        Moves = $"SELECT version, tbl, id, from_org, to_org FROM unionsync_moves WHERE tbl = {table.Number} AND id = @id AND version > @since ORDER BY version, seq";
    }

    /// <summary>Parameters <c>@p0</c>… in row-value order.</summary>
    public string Upsert { get; }

    public string[] UpsertParameters { get; }

    /// <summary>The ordinal of the scope column in row values.</summary>
    public int ScopeOrdinal { get; }

    public string Delete { get; }

    /// <summary>Fills the added columns where they are NULL: <c>@id</c>, then <c>@f0</c>… in added-column order; null without added columns.</summary>
    public string? FillExtras { get; }

    public string[] FillParameters { get; } = [];

    /// <summary>The organisation a tombstone of the row would carry, then every column in row-value order.</summary>
    public string ReadOld { get; }

    /// <summary>
    /// For each key of the JSON array <c>@keys</c> (<see cref="SqliteJsonArray"/>), the key's position in it, the eight
    /// identity columns, then the data columns (all NULL when the row is absent). The keys drive the join (LEFT JOINs),
    /// each looked up by primary key.
    /// </summary>
    public string Current { get; }

    public string Moves { get; }

    /// <summary>Keeps the row as it is now as its base row (docs/sync-engine.md §11), unless it has one: before a child's change.</summary>
    public string CaptureBase { get; }

    /// <summary>Drops the row's base row: the parent's version arrived, the row is agreed again.</summary>
    public string DropBase { get; }

    /// <summary>Whether the table has any base row (when none, an apply from the parent skips <see cref="DropBase"/>).</summary>
    public string AnyBase { get; }

    /// <summary>
    /// An UPDATE by key of the columns whose bits are set in <paramref name="columns"/> (bit i: the column at ordinal i),
    /// parameters <c>@p{i}</c> as in <see cref="Upsert"/>: an index whose columns are not set is not touched.
    /// </summary>
    public string UpdateOf(ulong columns) => _updates.GetOrAdd(columns, mask =>
    {
        var all = _table.Table.Columns;
        var set = Enumerable.Range(0, all.Count).Where(i => (mask & (1UL << i)) != 0).Select(i => $"\"{all[i].Name}\" = @p{i}");
        return $"UPDATE \"{_table.Name}\" SET {string.Join(", ", set)} WHERE \"{_table.Table.KeyColumn}\" = @p{_table.Table.KeyOrdinal}";
    });

    public static SqliteApplySql For(SqliteTrackedTable table) =>
        table.Table.ExtraColumns.Count == 0 ? Instances[table.Number - 1].Value : WithExtras.GetOrAdd(table, t => new SqliteApplySql(t));
}
