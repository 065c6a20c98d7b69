using System.Collections.Concurrent;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// The read statements of a snapshot for one table, built once. Selected rows put the key first, then the eight
/// <see cref="SqliteIdentityColumns"/>, then the data columns. Row reads of a scope read <c>temp.unionsync_scope</c>,
/// key filters <c>temp.unionsync_keys</c>; change reads find their scope themselves. Changes are found through the
/// version index (INDEXED BY: left to itself the planner takes the (tbl, id) key, which saves the sort but reads every
/// tracking row of the table), so an incremental read costs what the changes since the watermark cost.
/// </summary>
internal sealed class SqliteChangeSql
{
    public const string CreateScopeTable =
        "CREATE TEMP TABLE IF NOT EXISTS unionsync_scope (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.unionsync_scope; " +
        "INSERT INTO temp.unionsync_scope " + SqliteVersionSql.Subtree + ";";

    public const string CreateKeyTable =
        "CREATE TEMP TABLE IF NOT EXISTS unionsync_keys (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.unionsync_keys;";

    public const string InsertKey = "INSERT OR IGNORE INTO temp.unionsync_keys (id) VALUES (@id)";

    /// <summary>The recursive step of a CTE <c>up (org, id)</c> that walks from each organisation <c>org</c> to the top.</summary>
    public const string WalkUpStep =
        "UNION SELECT up.org, o.parent_id FROM up JOIN organizations AS o ON o.id = up.id WHERE o.parent_id IS NOT NULL";

    public const string ExcludedPeerNumber = "SELECT node_no FROM unionsync_nodes WHERE node_id = @peer";

    public const string SelectMoves =
        "SELECT version, tbl, id, from_org, to_org FROM unionsync_moves WHERE version > @since ORDER BY version, seq";

    public const int DataOffset = 1 + SqliteIdentityColumns.Count;

    /// <summary>
    /// Below this share of the organisations a scope reads its rows through the indexes (<see cref="RowsInSmallScope"/>).
    /// Measured on a 1 M-member city: a district (4 %) reads its members 5× and its cards 17× faster that way, the whole
    /// city its members 2× and its cards 1.6× faster by scanning.
    /// </summary>
    public const double SmallScopeShare = 0.25;

    public const string ScopeShare =
        "SELECT (SELECT count(*) FROM temp.unionsync_scope) * 1.0 / max(1, (SELECT count(*) FROM organizations))";

    private static readonly ConcurrentDictionary<SqliteTrackedTable, SqliteChangeSql> WithExtras = new();

    private static readonly Lazy<SqliteChangeSql>[] Instances =
        [.. SqliteTrackedTable.All.Select(t => new Lazy<SqliteChangeSql>(() => new SqliteChangeSql(t)))];

    private SqliteChangeSql(SqliteTrackedTable table)
    {
        var n = table.Number;
        var changes =
            $"SELECT t.id, {SqliteIdentityColumns.Select}, {table.DataColumns} FROM unionsync_tracking AS t INDEXED BY ix_unionsync_tracking_version " +
            $"LEFT JOIN \"{table.Name}\" AS d ON d.id = t.id{table.OrganizationJoin}{SqliteIdentityColumns.NodeJoins} " +
            $"WHERE t.tbl = {n} AND t.version > @since AND (t.deleted = 1 OR @tombstones_only = 0) AND t.source_peer_no IS NOT @excluded AND (t.deleted = 1 OR d.id IS NOT NULL)";
        ChangesAll = changes + " ORDER BY t.id";
        // The scope of a change query is walked up from the organisations its changes are placed in (a live row's, a
        // tombstone's last), not filled from the top: its cost follows the changes, not the 76,000 organisations of a
        // city-wide child (0.4 s to fill at 4.3 M members).
        var changedScope =
            "WITH RECURSIVE placed (org) AS (SELECT CASE WHEN t.deleted = 0 THEN " + table.OrganizationExpression + " ELSE t.scope_org END " +
            $"FROM unionsync_tracking AS t INDEXED BY ix_unionsync_tracking_version LEFT JOIN \"{table.Name}\" AS d ON d.id = t.id{table.OrganizationJoin} " +
            $"WHERE t.tbl = {n} AND t.version > @since AND (t.deleted = 1 OR @tombstones_only = 0)), " +
            "up (org, id) AS (SELECT DISTINCT org, org FROM placed WHERE org IS NOT NULL " + WalkUpStep + "), " +
            "scope (id) AS (SELECT org FROM up WHERE id = @root) ";
        ChangesInScope = changedScope + changes +
            " AND (CASE WHEN t.deleted = 0 THEN " + table.OrganizationExpression + " IN (SELECT id FROM scope) " +
            "ELSE t.scope_org IS NULL OR t.scope_org IN (SELECT id FROM scope) " +
            "OR NOT EXISTS (SELECT 1 FROM organizations AS x WHERE x.id = t.scope_org) END) ORDER BY t.id";

        var select = $"SELECT d.id, {SqliteIdentityColumns.Select}, {table.DataColumns} FROM ";
        var tracking = $"LEFT JOIN unionsync_tracking AS t ON t.tbl = {n} AND t.id = d.id{SqliteIdentityColumns.NodeJoins}";
        var rows = $"{select}\"{table.Name}\" AS d{table.OrganizationJoin} {tracking} WHERE ";

        // A large scope reads the table in key order and tests each row (no sort); the unary + keeps the planner off the
        // organisation index, which would sort the whole table. A small scope goes from its organisations through the
        // indexes (CROSS JOIN fixes the order) and sorts what it found: a district of a 1 M-member city reads 4 % of it.
        RowsInScope = table.Number == 2
            ? rows + "+d.organization_id IN (SELECT id FROM temp.unionsync_scope) ORDER BY d.id"
            : rows + table.OrganizationExpression + " IN (SELECT id FROM temp.unionsync_scope) ORDER BY d.id";
        RowsInSmallScope = table.Number switch
        {
            2 => $"{select}temp.unionsync_scope AS s CROSS JOIN \"members\" AS d ON d.organization_id = s.id {tracking} ORDER BY d.id",
            3 => $"{select}temp.unionsync_scope AS s CROSS JOIN members AS sm ON sm.organization_id = s.id " +
                 $"CROSS JOIN \"service_cards\" AS d ON d.member_id = sm.id {tracking} ORDER BY d.id",
            _ => RowsInScope,
        };
        RowsByKeys = rows + "d.id IN (SELECT id FROM temp.unionsync_keys) ORDER BY d.id";
        var contract = SyncTables.Named(table.Name);
        BaseRowsByKeys =
            $"SELECT {string.Join(", ", contract.Columns.Select(c => $"b.\"{c.Name}\""))} FROM unionsync_base_{table.Name} AS b " +
            "WHERE b.id IN (SELECT id FROM temp.unionsync_keys)";
        RowsOfMembers = table.Number switch
        {
            3 => rows + "d.member_id IN (SELECT id FROM temp.unionsync_keys) ORDER BY d.id",
            2 => RowsByKeys,
            _ => null,
        };
    }

    /// <summary>Changes since <c>@since</c>, not from peer number <c>@excluded</c>, the whole database.</summary>
    public string ChangesAll { get; }

    /// <summary>As <see cref="ChangesAll"/>, restricted to the subtree of <c>@root</c>.</summary>
    public string ChangesInScope { get; }

    /// <summary>The rows of the organisations in <c>temp.unionsync_scope</c>, for a scope of a large part of the database.</summary>
    public string RowsInScope { get; }

    /// <summary>As <see cref="RowsInScope"/>, for a scope of a small part of the database (<see cref="SmallScopeShare"/>).</summary>
    public string RowsInSmallScope { get; }

    public string RowsByKeys { get; }

    /// <summary>The base rows (docs/sync-engine.md §11) of the keys in <c>temp.unionsync_keys</c>: the contract's columns, key first.</summary>
    public string BaseRowsByKeys { get; }

    /// <summary>Cards of the members in <c>temp.unionsync_keys</c> (members: those members); null for organisations.</summary>
    public string? RowsOfMembers { get; }

    public static SqliteChangeSql For(SqliteTrackedTable table) =>
        table.Table.ExtraColumns.Count == 0 ? Instances[table.Number - 1].Value : WithExtras.GetOrAdd(table, t => new SqliteChangeSql(t));
}
