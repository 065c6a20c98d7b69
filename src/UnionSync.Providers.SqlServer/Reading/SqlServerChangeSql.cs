using System.Collections.Concurrent;
using UnionSync.Providers.SqlServer.Tracking;

namespace UnionSync.Providers.SqlServer.Reading;

/// <summary>
/// The read statements of one table, built once (and once per set of added columns a description carries): its changes in a watermark range and a scope, and its current rows
/// by subtree, by members or by keys, each with identities (<see cref="SqlServerTrackedRows"/>); plus the statements
/// every table shares (watermark, moves, subtree). Rowversions compare as binary(8): the bigint bounds are converted,
/// never the column, so the range is one seek on <c>ix_unionsync_tracking_rv</c>.
/// </summary>
internal sealed class SqlServerChangeSql
{
    /// <summary>
    /// The watermark: the lowest rowversion still held by an open transaction (or the next one to be given). Every
    /// row with a smaller rowversion belongs to a transaction that has ended. Never <c>@@DBTS</c>: that is the last
    /// rowversion given, possibly to a transaction that commits later (DESIGN §7, the watermark race).
    /// </summary>
    public const string WatermarkSql = "SELECT CONVERT(bigint, MIN_ACTIVE_ROWVERSION());";

    /// <summary>The organisation <c>@root</c> and its descendants. The default MAXRECURSION (100) turns a cycle into an error, not a hang.</summary>
    public const string SubtreeSql =
        """
        WITH subtree (id) AS
        (
            SELECT o.id FROM organizations AS o WHERE o.id = @root
            UNION ALL
            SELECT o.id FROM organizations AS o JOIN subtree AS s ON o.parent_id = s.id
        )
        SELECT id FROM subtree;
        """;

    /// <summary>Scope moves logged in <c>[@since, @watermark)</c>, in log order.</summary>
    public const string MovesSql =
        """
        SELECT tbl, id, from_org, to_org, CONVERT(bigint, rv)
        FROM unionsync_moves
        WHERE rv >= CONVERT(binary(8), @since) AND rv < CONVERT(binary(8), @watermark)
        ORDER BY rv;
        """;

    /// <summary>Fills the table variable <c>@scope</c> with the subtree of <c>@scope_root</c> (nothing when it is NULL).</summary>
    private const string DeclareScope =
        """
        SET NOCOUNT ON;
        DECLARE @scope TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
        WITH subtree (id) AS
        (
            SELECT o.id FROM organizations AS o WHERE o.id = @scope_root
            UNION ALL
            SELECT o.id FROM organizations AS o JOIN subtree AS s ON o.parent_id = s.id
        )
        INSERT INTO @scope (id) SELECT id FROM subtree;
        """;

    /// <summary>
    /// Every column of the synced tables in the current schema: table, column, type name (of the base type for an alias
    /// type), nullable. For <see cref="UnionSync.Sync.Schema.SyncSchema.FromCatalog"/>.
    /// </summary>
    public const string CatalogSql =
        """
        SELECT tb.name, c.name, COALESCE(bt.name, ty.name), ty.name, c.is_nullable
        FROM sys.columns AS c
        JOIN sys.tables AS tb ON tb.object_id = c.object_id
        JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
        LEFT JOIN sys.types AS bt ON ty.is_user_defined = 1 AND bt.user_type_id = ty.system_type_id
        WHERE tb.schema_id = SCHEMA_ID() AND tb.name IN (N'organizations', N'members', N'service_cards')
        ORDER BY tb.name, c.column_id;
        """;

    private static readonly SqlServerChangeSql[] s_tables = [.. SqlServerTrackedTable.All.Select(t => new SqlServerChangeSql(t))];
    private static readonly ConcurrentDictionary<SqlServerTrackedTable, SqlServerChangeSql> s_withExtras = new();

    private SqlServerChangeSql(SqlServerTrackedTable table)
    {
        Table = table;
        var n = table.Number;
        var rowsFrom =
            $"""
            FROM {table.QuotedName} AS t
            {table.PositionJoin}
            LEFT JOIN unionsync_tracking AS tr ON tr.tbl = {n} AND tr.id = t.id
            {SqlServerTrackedRows.NodeJoins}
            """;
        var rowSelect = "SELECT " + SqlServerTrackedRows.SelectList(table, "t.id", "CONVERT(bit, 0)");

        // The scope of a change query is walked up from the organisations its changes are placed in (a live row's, a
        // tombstone's last), not filled from the top: its cost follows the changes, not the organisations of the federation.
        var declareChangedScope =
            $"""
            SET NOCOUNT ON;
            DECLARE @scope TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
            WITH placed (org) AS
            (
                SELECT DISTINCT CASE WHEN tr.deleted = 1 THEN tr.scope_org ELSE {table.Position} END
                FROM unionsync_tracking AS tr
                LEFT JOIN {table.QuotedName} AS t ON t.id = tr.id
                {table.PositionJoin}
                WHERE @scope_root IS NOT NULL AND tr.tbl = {n}
                  AND tr.rv >= CONVERT(binary(8), @since) AND tr.rv < CONVERT(binary(8), @watermark)
                  AND (tr.deleted = 1 OR @tombstones_only = 0)
            ),
            up (org, id) AS
            (
                SELECT org, org FROM placed WHERE org IS NOT NULL
                UNION ALL
                SELECT up.org, o.parent_id FROM up JOIN organizations AS o ON o.id = up.id WHERE o.parent_id IS NOT NULL
            )
            INSERT INTO @scope (id) SELECT DISTINCT org FROM up WHERE id = @scope_root;
            """;

        // Upserts carry the current row; a tombstone is selected by its scope organisation, or when that no longer exists.
        ChangesSql =
            $"""
            {declareChangedScope}
            SELECT {SqlServerTrackedRows.SelectList(table, "tr.id", "tr.deleted")}
            FROM unionsync_tracking AS tr
            LEFT JOIN {table.QuotedName} AS t ON t.id = tr.id
            {table.PositionJoin}
            {SqlServerTrackedRows.NodeJoins}
            WHERE tr.tbl = {n} AND tr.rv >= CONVERT(binary(8), @since) AND tr.rv < CONVERT(binary(8), @watermark)
              AND (tr.deleted = 1 OR @tombstones_only = 0)
              AND (tr.deleted = 1 OR t.id IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM unionsync_nodes AS x WHERE x.node_id = @excluded_peer AND x.node_no = tr.source_peer_no)
              AND (@scope_root IS NULL
                   OR (tr.deleted = 0 AND {table.Position} IN (SELECT id FROM @scope))
                   OR (tr.deleted = 1 AND (tr.scope_org IS NULL OR tr.scope_org IN (SELECT id FROM @scope)
                                           OR NOT EXISTS (SELECT 1 FROM organizations AS g WHERE g.id = tr.scope_org))))
            ORDER BY tr.id
            OPTION (RECOMPILE);
            """;

        RowsInSubtreeSql =
            $"""
            {DeclareScope}
            {rowSelect}
            {rowsFrom}
            WHERE {table.Position} IN (SELECT id FROM @scope)
            ORDER BY t.id;
            """;

        RowsByKeysSql =
            $"""
            {rowSelect}
            {rowsFrom}
            WHERE t.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k)
            ORDER BY t.id;
            """;

        RowsOfMembersSql = table.Number switch
        {
            2 => RowsByKeysSql,
            3 => $"""
                 {rowSelect}
                 {rowsFrom}
                 WHERE t.member_id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k)
                 ORDER BY t.id;
                 """,
            _ => null,
        };

        var contract = SqlServerTrackedTable.For(table.Table.Name).Table.Columns.Select(c => "b." + SqlServerStatements.QuoteIdentifier(c.Name));
        BaseRowsSql =
            $"""
            SELECT {string.Join(", ", contract)}
            FROM {table.BaseTable} AS b
            WHERE b.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k);
            """;
    }

    public SqlServerTrackedTable Table { get; }

    /// <summary>Parameters <c>@since</c>, <c>@watermark</c>, <c>@scope_root</c>, <c>@excluded_peer</c>.</summary>
    public string ChangesSql { get; }

    /// <summary>Parameter <c>@scope_root</c>.</summary>
    public string RowsInSubtreeSql { get; }

    /// <summary>Parameter <c>@keys</c> (a JSON array of UUIDs).</summary>
    public string RowsByKeysSql { get; }

    /// <summary>Parameter <c>@keys</c> (member ids); null for organisations.</summary>
    public string? RowsOfMembersSql { get; }

    /// <summary>
    /// Parameter <c>@keys</c>: the base rows of the keys (docs/sync-engine.md §11), the contract's columns in row-value order
    /// whatever the description carries; so it is listed with the contract's statements (<see cref="Statements"/>) only.
    /// </summary>
    public string BaseRowsSql { get; }

    public static SqlServerChangeSql For(SqlServerTrackedTable table) =>
        table.Table.ExtraColumns.Count == 0 ? s_tables[table.Number - 1] : s_withExtras.GetOrAdd(table, static t => new SqlServerChangeSql(t));

    /// <summary>Every statement, named, for <see cref="SqlServerStatements.All"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Statements()
    {
        yield return new("read WatermarkSql", WatermarkSql);
        yield return new("read SubtreeSql", SubtreeSql);
        yield return new("read MovesSql", MovesSql);
        yield return new("read CatalogSql", CatalogSql);
        foreach (var table in s_tables)
        {
            yield return new($"read BaseRowsSql {table.Table}", table.BaseRowsSql);
        }
    }

    /// <summary>The statements of one table's description, named, for <see cref="SqlServerStatements.TableStatements"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> TableStatements()
    {
        var name = Table.Table.Signature;
        yield return new($"read ChangesSql {name}", ChangesSql);
        yield return new($"read RowsInSubtreeSql {name}", RowsInSubtreeSql);
        yield return new($"read RowsByKeysSql {name}", RowsByKeysSql);
        if (RowsOfMembersSql is { } ofMembers && !ReferenceEquals(ofMembers, RowsByKeysSql))
        {
            yield return new($"read RowsOfMembersSql {name}", ofMembers);
        }
    }
}
