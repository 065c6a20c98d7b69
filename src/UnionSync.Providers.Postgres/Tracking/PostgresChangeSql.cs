namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>
/// The read side's SQL, built once per table. Changes are selected by transaction id (<c>txid &gt;= @since</c>), not by
/// the version sequence: inside a REPEATABLE READ snapshot that selects exactly the committed changes not covered by the
/// previous snapshot's <c>xmin</c> (DESIGN §7, the watermark race).
/// </summary>
internal static class PostgresChangeSql
{
    /// <summary>The organisation <c>@root</c> and its descendants, as CTE <c>scope</c>.</summary>
    public const string ScopeCte =
        "WITH RECURSIVE scope AS (SELECT o.id FROM organizations o WHERE o.id = @root " +
        "UNION ALL SELECT o.id FROM organizations o JOIN scope s ON o.parent_id = s.id) ";

    public const string SubtreeSql = ScopeCte + "SELECT id FROM scope";

    /// <summary>The snapshot's watermark: the xmin of the snapshot taken by the first statement of the transaction.</summary>
    public const string OpenSql =
        "SELECT n.node_id, pg_snapshot_xmin(pg_current_snapshot())::text::bigint FROM unionsync_node n";

    public const string MovesSql =
        "SELECT tbl, id, from_org, to_org, txid::text::bigint FROM unionsync_moves " +
        "WHERE txid >= (@since::bigint)::text::xid8 ORDER BY move_no";

    /// <summary>The identity columns (origin node, origin version, base node, base version) of tracking alias <c>t</c>.</summary>
    private const string IdentityColumns = "onode.node_id, t.origin_version, bnode.node_id, t.base_version";

    private const string IdentityJoins =
        "LEFT JOIN unionsync_nodes onode ON onode.node_no = t.origin_node_no " +
        "LEFT JOIN unionsync_nodes bnode ON bnode.node_no = t.base_node_no ";

    private static readonly Dictionary<short, string> ScopedChanges = PostgresTrackedTable.All.ToDictionary(t => t.Number, t => Changes(t, scoped: true));
    private static readonly Dictionary<short, string> AllChanges = PostgresTrackedTable.All.ToDictionary(t => t.Number, t => Changes(t, scoped: false));
    private static readonly Dictionary<short, string> SubtreeRows = PostgresTrackedTable.All.ToDictionary(t => t.Number, t => Rows(t, ScopeCte, t.ScopeCondition));
    private static readonly Dictionary<short, string> KeyRows = PostgresTrackedTable.All.ToDictionary(t => t.Number, t => Rows(t, string.Empty, "r.id = ANY(@keys)"));
    private static readonly Dictionary<short, string> MemberRows = new()
    {
        [PostgresTrackedTable.Members.Number] = Rows(PostgresTrackedTable.Members, string.Empty, "r.id = ANY(@keys)"),
        [PostgresTrackedTable.ServiceCards.Number] = Rows(PostgresTrackedTable.ServiceCards, string.Empty, "r.member_id = ANY(@keys)"),
    };

    /// <summary>Ordinal of the first row value in a change row: id, deleted, scope_org, four identity columns.</summary>
    public const int ChangeValuesOrdinal = 7;

    public static string ChangesSql(PostgresTrackedTable table, bool scoped) => (scoped ? ScopedChanges : AllChanges)[table.Number];

    public static string SubtreeRowsSql(PostgresTrackedTable table) => SubtreeRows[table.Number];

    public static string KeyRowsSql(PostgresTrackedTable table) => KeyRows[table.Number];

    public static string? MemberRowsSql(PostgresTrackedTable table) => MemberRows.GetValueOrDefault(table.Number);

    private static string Changes(PostgresTrackedTable table, bool scoped)
    {
        var inScope = scoped
            ? "CASE WHEN t.deleted THEN t.scope_org IS NULL OR t.scope_org IN (SELECT id FROM scope) " +
              "OR NOT EXISTS (SELECT 1 FROM organizations g WHERE g.id = t.scope_org) " +
              $"ELSE r.id IS NOT NULL AND {table.ScopeCondition} END"
            : "(t.deleted OR r.id IS NOT NULL)";
        return (scoped ? ScopeCte : string.Empty) +
            $"SELECT t.id, t.deleted, t.scope_org, {IdentityColumns}, {table.RowColumns} " +
            "FROM unionsync_tracking t " +
            $"LEFT JOIN \"{table.Name}\" r ON NOT t.deleted AND r.id = t.id " +
            IdentityJoins +
            $"WHERE t.tbl = {table.Number} AND t.txid >= (@since::bigint)::text::xid8 " +
            "AND (t.source_peer_no IS NULL OR NOT EXISTS " +
            "(SELECT 1 FROM unionsync_nodes x WHERE x.node_no = t.source_peer_no AND x.node_id = @excluded)) " +
            $"AND {inScope} ORDER BY t.id";
    }

    /// <summary>Current rows with their identities (null when untracked): row values first, then the four identity columns.</summary>
    private static string Rows(PostgresTrackedTable table, string cte, string condition) =>
        cte +
        $"SELECT {table.RowColumns}, {IdentityColumns} FROM \"{table.Name}\" r " +
        $"LEFT JOIN unionsync_tracking t ON t.tbl = {table.Number} AND t.id = r.id " +
        IdentityJoins +
        $"WHERE {condition} ORDER BY r.id";
}
