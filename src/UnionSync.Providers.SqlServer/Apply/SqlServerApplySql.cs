using System.Collections.Concurrent;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Tracking;

namespace UnionSync.Providers.SqlServer.Apply;

/// <summary>
/// The apply statements of one table, built once (docs/sync-engine.md §5): a staging temp table that SqlBulkCopy fills,
/// then one batch that registers node numbers, logs scope moves, MERGEs the upserts, deletes the deletes and writes the
/// tracking rows and base rows (docs/sync-engine.md §11) set-based from the staged changes (a parent's change makes its row
/// agreed again: its base row goes; a child's keeps the row as it was here where no base row is kept yet, the row as this
/// node agreed it with its own parent); plus the statements every table shares. Built for the description's
/// columns: the contract's, and any added columns it carries (docs/sync-engine.md §10); the MERGE writes those columns
/// only, so an update leaves the row's other columns as they are and an insert leaves them NULL.
/// </summary>
/// <remarks>
/// NEXT VALUE FOR may not appear in a MERGE, so the tracking rows are an UPDATE of the existing ones and an INSERT of the
/// missing ones. Staging columns: the table's columns (nullable: a delete stages its key only), then
/// <c>unionsync_kind</c> (0 upsert, 1 delete), the origin identity and the tombstone's scope organisation.
/// </remarks>
internal sealed class SqlServerApplySql
{
    /// <summary>Starts an apply transaction's work: any error dooms it whole; the triggers stand aside for this session.</summary>
    public const string BeginSql =
        """
        SET XACT_ABORT ON;
        EXEC sp_set_session_context @key = N'unionsync.applying', @value = 1;
        """;

    /// <summary>Session context is not transactional: reset before commit, and when a transaction is abandoned.</summary>
    public const string EndSql = "EXEC sp_set_session_context @key = N'unionsync.applying', @value = NULL;";

    public const string BatchAppliedSql =
        "SELECT COUNT(*) FROM unionsync_applied_batches WHERE session_id = @session_id AND direction = @direction AND batch_no = @batch_no;";

    public const string RecordBatchSql =
        "INSERT INTO unionsync_applied_batches (session_id, direction, batch_no) VALUES (@session_id, @direction, @batch_no);";

    /// <summary>Raises this node's HLC floor to <c>@floor</c>, the largest origin version applied (the receive rule); a no-op when it is higher.</summary>
    public const string RaiseHlcFloorSql = "UPDATE unionsync_node SET hlc_floor = @floor WHERE hlc_floor < @floor;";

    /// <summary>
    /// A version of this node's own clock for a change the engine writes as this node's, taken as the triggers take theirs
    /// (the wall clock shifted left 16 bits or the floor + 1, plus the low bits of a sequence value), above <c>@above</c>,
    /// and made the floor: concurrent calls queue on the node row and each gets more than the last, and every later local
    /// write gets more than it. The sequence value is read first: NEXT VALUE FOR is never an argument of GREATEST.
    /// </summary>
    public const string NextOwnVersionSql =
        """
        DECLARE @low bigint = NEXT VALUE FOR unionsync_version_seq;
        UPDATE unionsync_node SET hlc_floor = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1, @above + 1) + @low % 65536
        OUTPUT inserted.hlc_floor;
        """;

    public static readonly string MemberOrganizationsSql =
        $"SELECT m.id, m.organization_id FROM members AS m WHERE m.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k);";

    /// <summary>Those of the organisations <c>@keys</c> (a JSON array) that exist and lie in the subtree of <c>@root</c>, walked up from each.</summary>
    public static readonly string OrganizationsInSubtreeSql =
        $"""
        WITH up (org, id) AS
        (
            SELECT o.id, o.id FROM organizations AS o WHERE o.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k)
            UNION ALL
            SELECT up.org, o.parent_id FROM up JOIN organizations AS o ON o.id = up.id WHERE o.parent_id IS NOT NULL
        )
        SELECT DISTINCT org FROM up WHERE id = @root;
        """;

    /// <summary>Members holding the ID numbers of <c>@values</c> (a JSON array of strings).</summary>
    public const string MembersByIdNumberSql =
        "SELECT m.id, m.id_number FROM members AS m WHERE m.id_number IN (SELECT j.[value] FROM OPENJSON(@values) AS j);";

    /// <summary>Cards holding the card numbers of <c>@values</c> (a JSON array of strings).</summary>
    public const string CardsByNumberSql =
        "SELECT c.id, c.card_number FROM service_cards AS c WHERE c.card_number IN (SELECT j.[value] FROM OPENJSON(@values) AS j);";

    /// <summary>Scope moves of keys <c>@keys</c> of table <c>@tbl</c> logged at or after <c>@since</c>.</summary>
    public static readonly string MovesOfKeysSql =
        $"""
        SELECT mv.tbl, mv.id, mv.from_org, mv.to_org, CONVERT(bigint, mv.rv)
        FROM unionsync_moves AS mv
        WHERE mv.tbl = @tbl AND mv.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k) AND mv.rv >= CONVERT(binary(8), @since)
        ORDER BY mv.rv;
        """;

    /// <summary>
    /// Local removal (parameters <c>@tbl</c>, <c>@keys</c>): an organisation with its subtree, a member with its cards, a
    /// card; the rows, their tracking rows and base rows go, with the triggers standing aside, so no tombstone travels up.
    /// Before the deletes, each key given (not the dependents removed with it) gets one move in the log: a version from the
    /// sequence and the <c>rv</c> the move log is selected by, <c>from_org</c> = the organisation that placed the row in
    /// scopes here, <c>to_org</c> NULL, so that this node's own children receive the removal in turn (§4.7). A key whose
    /// row is not here logs nothing.
    /// </summary>
    public static readonly string RemoveLocallySql =
        $"""
        SET NOCOUNT ON;
        DECLARE @roots TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
        DECLARE @orgs TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
        DECLARE @members TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
        DECLARE @cards TABLE (id uniqueidentifier NOT NULL PRIMARY KEY);
        INSERT INTO @roots (id) SELECT DISTINCT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k;
        INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
        SELECT NEXT VALUE FOR unionsync_version_seq, 1, o.id, o.parent_id, NULL
        FROM organizations AS o JOIN @roots AS r ON r.id = o.id
        WHERE @tbl = 1;
        INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
        SELECT NEXT VALUE FOR unionsync_version_seq, 2, m.id, m.organization_id, NULL
        FROM members AS m JOIN @roots AS r ON r.id = m.id
        WHERE @tbl = 2;
        INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
        SELECT NEXT VALUE FOR unionsync_version_seq, 3, c.id, cm.organization_id, NULL
        FROM service_cards AS c JOIN @roots AS r ON r.id = c.id
        LEFT JOIN members AS cm ON cm.id = c.member_id
        WHERE @tbl = 3;
        INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
        SELECT NEXT VALUE FOR unionsync_version_seq, t.tbl, t.id, t.scope_org, NULL
        FROM unionsync_tracking AS t JOIN @roots AS r ON r.id = t.id
        WHERE t.tbl = @tbl AND t.deleted = 1
          AND NOT EXISTS (SELECT 1 FROM organizations AS o WHERE @tbl = 1 AND o.id = t.id)
          AND NOT EXISTS (SELECT 1 FROM members AS m WHERE @tbl = 2 AND m.id = t.id)
          AND NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE @tbl = 3 AND c.id = t.id);
        WITH subtree (id) AS
        (
            SELECT o.id FROM organizations AS o WHERE @tbl = 1 AND o.id IN (SELECT id FROM @roots)
            UNION ALL
            SELECT o.id FROM organizations AS o JOIN subtree AS s ON o.parent_id = s.id
        )
        INSERT INTO @orgs (id) SELECT DISTINCT id FROM subtree;
        INSERT INTO @members (id)
        SELECT m.id FROM members AS m
        WHERE (@tbl = 2 AND m.id IN (SELECT id FROM @roots)) OR m.organization_id IN (SELECT id FROM @orgs);
        INSERT INTO @cards (id)
        SELECT c.id FROM service_cards AS c
        WHERE (@tbl = 3 AND c.id IN (SELECT id FROM @roots)) OR c.member_id IN (SELECT id FROM @members);
        DELETE c FROM service_cards AS c JOIN @cards AS x ON x.id = c.id;
        DELETE m FROM members AS m JOIN @members AS x ON x.id = m.id;
        DELETE o FROM organizations AS o JOIN @orgs AS x ON x.id = o.id;
        DELETE tr FROM unionsync_tracking AS tr
        WHERE (tr.tbl = @tbl AND tr.id IN (SELECT id FROM @roots))
           OR (tr.tbl = 1 AND tr.id IN (SELECT id FROM @orgs))
           OR (tr.tbl = 2 AND tr.id IN (SELECT id FROM @members))
           OR (tr.tbl = 3 AND tr.id IN (SELECT id FROM @cards));
        DELETE b FROM unionsync_base_organizations AS b WHERE (@tbl = 1 AND b.id IN (SELECT id FROM @roots)) OR b.id IN (SELECT id FROM @orgs);
        DELETE b FROM unionsync_base_members AS b WHERE (@tbl = 2 AND b.id IN (SELECT id FROM @roots)) OR b.id IN (SELECT id FROM @members);
        DELETE b FROM unionsync_base_service_cards AS b WHERE (@tbl = 3 AND b.id IN (SELECT id FROM @roots)) OR b.id IN (SELECT id FROM @cards);
        """;

    private static readonly SqlServerApplySql[] s_tables = [.. SqlServerTrackedTable.All.Select(t => new SqlServerApplySql(t))];
    private static readonly ConcurrentDictionary<SqlServerTrackedTable, SqlServerApplySql> s_withExtras = new();

    private SqlServerApplySql(SqlServerTrackedTable table)
    {
        Table = table;
        var n = table.Number;
        var columns = table.Table.Columns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)).ToList();
        var key = SqlServerStatements.QuoteIdentifier(table.Table.KeyColumn);
        StageTable = table.StageTable;

        // An outer join's columns are nullable in SELECT INTO; types and collations are the target's own.
        CreateStageSql =
            $"""
            SELECT TOP (0) {string.Join(", ", columns.Select(c => "t." + c))},
                CONVERT(tinyint, NULL) AS unionsync_kind, CONVERT(uniqueidentifier, NULL) AS unionsync_origin_node,
                CONVERT(bigint, NULL) AS unionsync_origin_version, CONVERT(uniqueidentifier, NULL) AS unionsync_scope_org
            INTO {StageTable}
            FROM (SELECT 1 AS one) AS seed LEFT JOIN {table.QuotedName} AS t ON 1 = 0;
            """;

        TruncateStageSql = $"TRUNCATE TABLE {StageTable};";

        ApplySql = BuildApplySql(table, keepBase: false);
        ApplyFromChildSql = BuildApplySql(table, keepBase: true);

        CurrentSql =
            $"""
            SELECT {SqlServerTrackedRows.SelectList(table, "k.id", "tr.deleted")}
            FROM (SELECT DISTINCT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k) AS k
            LEFT JOIN {table.QuotedName} AS t ON t.{key} = k.id
            LEFT JOIN unionsync_tracking AS tr ON tr.tbl = {n} AND tr.id = k.id
            {SqlServerTrackedRows.NodeJoins}
            WHERE t.{key} IS NOT NULL OR tr.id IS NOT NULL;
            """;

        FillSql = BuildFillSql(table);
    }

    public SqlServerTrackedTable Table { get; }

    public string StageTable { get; }

    public string CreateStageSql { get; }

    public string TruncateStageSql { get; }

    /// <summary>Parameter <c>@peer</c>: the peer the batch came from. Tracking rows get base := the change's origin (agreed with the parent).</summary>
    public string ApplySql { get; }

    /// <summary>As <see cref="ApplySql"/> for a child's changes: tracking rows keep their base (NULL for a new one), the version agreed with this node's own parent.</summary>
    public string ApplyFromChildSql { get; }

    /// <summary>Parameter <c>@keys</c>: what this node holds for the keys, with identities.</summary>
    public string CurrentSql { get; }

    /// <summary>Parameter <c>@keys</c>: drops their base rows (uploaded and held by the parent: agreed as they are).</summary>
    public string DropBaseRowsSql =>
        $"DELETE b FROM {Table.BaseTable} AS b WHERE b.id IN (SELECT k.id FROM {SqlServerTrackedRows.JsonKeys("@keys")} AS k);";

    /// <summary>
    /// Fills the added columns from the staged upserts where the row holds NULL (the backfill of docs/sync-engine.md §10);
    /// null when the description has none. Run with the triggers standing aside: no tracking row, no version.
    /// </summary>
    public string? FillSql { get; }

    public static SqlServerApplySql For(SqlServerTrackedTable table) =>
        table.Table.ExtraColumns.Count == 0 ? s_tables[table.Number - 1] : s_withExtras.GetOrAdd(table, static t => new SqlServerApplySql(t));

    /// <summary>Every statement, named, for <see cref="SqlServerStatements.All"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Statements()
    {
        yield return new("apply BeginSql", BeginSql);
        yield return new("apply EndSql", EndSql);
        yield return new("apply BatchAppliedSql", BatchAppliedSql);
        yield return new("apply RecordBatchSql", RecordBatchSql);
        yield return new("apply RaiseHlcFloorSql", RaiseHlcFloorSql);
        yield return new("apply NextOwnVersionSql", NextOwnVersionSql);
        yield return new("apply MemberOrganizationsSql", MemberOrganizationsSql);
        yield return new("apply OrganizationsInSubtreeSql", OrganizationsInSubtreeSql);
        yield return new("apply MembersByIdNumberSql", MembersByIdNumberSql);
        yield return new("apply CardsByNumberSql", CardsByNumberSql);
        yield return new("apply MovesOfKeysSql", MovesOfKeysSql);
        yield return new("apply RemoveLocallySql", RemoveLocallySql);
    }

    /// <summary>The statements of one table's description, named, for <see cref="SqlServerStatements.TableStatements"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> TableStatements()
    {
        var name = Table.Table.Signature;
        yield return new($"apply CreateStageSql {name}", CreateStageSql);
        yield return new($"apply TruncateStageSql {name}", TruncateStageSql);
        yield return new($"apply ApplySql {name}", ApplySql);
        yield return new($"apply ApplyFromChildSql {name}", ApplyFromChildSql);
        yield return new($"apply CurrentSql {name}", CurrentSql);
        yield return new($"apply DropBaseRowsSql {name}", DropBaseRowsSql);
        if (FillSql is { } fill)
        {
            yield return new($"apply FillSql {name}", fill);
        }
    }

    // Only rows that gain a value are updated, so a row already holding every added column is not written at all.
    private static string? BuildFillSql(SqlServerTrackedTable table)
    {
        var extras = table.Table.ExtraColumns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)).ToList();
        if (extras.Count == 0)
        {
            return null;
        }

        var key = SqlServerStatements.QuoteIdentifier(table.Table.KeyColumn);
        return $"""
            UPDATE t SET {string.Join(", ", extras.Select(c => $"t.{c} = CASE WHEN t.{c} IS NULL THEN s.{c} ELSE t.{c} END"))}
            FROM {table.QuotedName} AS t
            JOIN {table.StageTable} AS s ON s.{key} = t.{key}
            WHERE s.unionsync_kind = 0
              AND ({string.Join(" OR ", extras.Select(c => $"(t.{c} IS NULL AND s.{c} IS NOT NULL)"))});
            """;
    }

    private static string BuildApplySql(SqlServerTrackedTable table, bool keepBase)
    {
        var n = table.Number;
        var stage = table.StageTable;
        var columns = table.Table.Columns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)).ToList();
        var key = SqlServerStatements.QuoteIdentifier(table.Table.KeyColumn);
        var updates = string.Join(", ", columns.Where(c => c != key).Select(c => $"t.{c} = s.{c}"));
        var setBase = keepBase ? string.Empty : "base_node_no = o.node_no, base_version = s.unionsync_origin_version, ";
        var newBase = keepBase ? "NULL, NULL" : "o.node_no, s.unionsync_origin_version";
        var baseRows = keepBase ? KeepBaseRows(table) : string.Empty;
        var agreed = keepBase ? string.Empty : $"DELETE b FROM {table.BaseTable} AS b JOIN {stage} AS s ON s.{key} = b.id;";
        return $"""
            SET NOCOUNT ON;
            INSERT INTO unionsync_nodes (node_id)
            SELECT n.node_id
            FROM (SELECT unionsync_origin_node AS node_id FROM {stage} WHERE unionsync_origin_node IS NOT NULL UNION SELECT @peer) AS n
            WHERE NOT EXISTS (SELECT 1 FROM unionsync_nodes AS x WITH (UPDLOCK, HOLDLOCK) WHERE x.node_id = n.node_id);
            DECLARE @peer_no int = (SELECT node_no FROM unionsync_nodes WHERE node_id = @peer);
            {LogMoves(table)}
            {TombstoneScope(table)}
            {baseRows}
            MERGE {table.QuotedName} WITH (HOLDLOCK) AS t
            USING (SELECT {string.Join(", ", columns)} FROM {stage} WHERE unionsync_kind = 0) AS s
            ON t.{key} = s.{key}
            WHEN MATCHED THEN UPDATE SET {updates}
            WHEN NOT MATCHED BY TARGET THEN INSERT ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "s." + c))});
            DELETE t FROM {table.QuotedName} AS t JOIN {stage} AS s ON s.{key} = t.{key} WHERE s.unionsync_kind = 1;
            UPDATE tr SET version = NEXT VALUE FOR unionsync_version_seq, origin_node_no = o.node_no, origin_version = s.unionsync_origin_version,
                {setBase}source_peer_no = @peer_no, deleted = CONVERT(bit, s.unionsync_kind), scope_org = s.unionsync_scope_org
            FROM unionsync_tracking AS tr
            JOIN {stage} AS s ON tr.tbl = {n} AND tr.id = s.{key}
            LEFT JOIN unionsync_nodes AS o ON o.node_id = s.unionsync_origin_node;
            INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, base_node_no, base_version, source_peer_no, deleted, scope_org)
            SELECT {n}, s.{key}, NEXT VALUE FOR unionsync_version_seq, o.node_no, s.unionsync_origin_version, {newBase},
                @peer_no, CONVERT(bit, s.unionsync_kind), s.unionsync_scope_org
            FROM {stage} AS s
            LEFT JOIN unionsync_nodes AS o ON o.node_id = s.unionsync_origin_node
            WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS tr WHERE tr.tbl = {n} AND tr.id = s.{key});
            {agreed}
            """;
    }

    // Before the MERGE of a child's changes, when the table is in unionsync_base_capture: the rows of its upserts as they are
    // here, where no base row is kept yet. Base rows hold the contract's columns only, whatever columns the description carries.
    private static string KeepBaseRows(SqlServerTrackedTable table)
    {
        var columns = SqlServerTrackedTable.For(table.Table.Name).Table.Columns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)).ToList();
        var key = SqlServerStatements.QuoteIdentifier(table.Table.KeyColumn);
        return $"""
            IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {table.Number})
                INSERT INTO {table.BaseTable} ({string.Join(", ", columns)})
                SELECT {string.Join(", ", columns.Select(c => "t." + c))}
                FROM {table.QuotedName} AS t JOIN {table.StageTable} AS s ON s.{key} = t.{key}
                WHERE s.unionsync_kind = 0 AND NOT EXISTS (SELECT 1 FROM {table.BaseTable} AS b WHERE b.id = t.{key});
            """;
    }

    // A change of the column that places the row in scopes, compared with the row as it is before the merge; and a row
    // brought back over its tombstone at another organisation than the tombstone's (this node's children may still hold it
    // where it sat before the delete).
    private static string LogMoves(SqlServerTrackedTable table) => LogChangedPositions(table) + Environment.NewLine + LogReturnsOverTombstones(table);

    private static string LogChangedPositions(SqlServerTrackedTable table)
    {
        var stage = table.StageTable;
        var insert = "INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)";
        return table.Number switch
        {
            1 => $"""
                 {insert}
                 SELECT NEXT VALUE FOR unionsync_version_seq, 1, s.id, t.parent_id, s.parent_id
                 FROM {stage} AS s JOIN organizations AS t ON t.id = s.id
                 WHERE s.unionsync_kind = 0
                   AND (t.parent_id <> s.parent_id OR (t.parent_id IS NULL AND s.parent_id IS NOT NULL) OR (t.parent_id IS NOT NULL AND s.parent_id IS NULL));
                 """,
            2 => $"""
                 {insert}
                 SELECT NEXT VALUE FOR unionsync_version_seq, 2, s.id, t.organization_id, s.organization_id
                 FROM {stage} AS s JOIN members AS t ON t.id = s.id
                 WHERE s.unionsync_kind = 0 AND t.organization_id <> s.organization_id;
                 """,
            _ => $"""
                 {insert}
                 SELECT NEXT VALUE FOR unionsync_version_seq, 3, s.id, om.organization_id, nm.organization_id
                 FROM {stage} AS s JOIN service_cards AS t ON t.id = s.id
                 LEFT JOIN members AS om ON om.id = t.member_id
                 LEFT JOIN members AS nm ON nm.id = s.member_id
                 WHERE s.unionsync_kind = 0 AND t.member_id <> s.member_id
                   AND (om.organization_id <> nm.organization_id OR (om.organization_id IS NULL AND nm.organization_id IS NOT NULL)
                        OR (om.organization_id IS NOT NULL AND nm.organization_id IS NULL));
                 """,
        };
    }

    private static string LogReturnsOverTombstones(SqlServerTrackedTable table)
    {
        var (position, join) = table.Number switch
        {
            1 => ("s.parent_id", string.Empty),
            2 => ("s.organization_id", string.Empty),
            _ => ("nm.organization_id", "LEFT JOIN members AS nm ON nm.id = s.member_id"),
        };
        return $"""
               INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org)
               SELECT NEXT VALUE FOR unionsync_version_seq, {table.Number}, s.id, tr.scope_org, {position}
               FROM {table.StageTable} AS s
               JOIN unionsync_tracking AS tr ON tr.tbl = {table.Number} AND tr.id = s.id AND tr.deleted = 1 AND tr.scope_org IS NOT NULL
               {join}
               WHERE s.unionsync_kind = 0 AND NOT EXISTS (SELECT 1 FROM {table.QuotedName} AS t WHERE t.id = s.id)
                 AND ({position} IS NULL OR {position} <> tr.scope_org);
               """;
    }

    // A tombstone's scope is where the row sat here (what this node's children saw); the sender's when it is not here.
    private static string TombstoneScope(SqlServerTrackedTable table)
    {
        var stage = table.StageTable;
        return $"""
               UPDATE s SET unionsync_scope_org = COALESCE({(table.Number == 1 ? "t.parent_id" : table.Position)}, s.unionsync_scope_org)
               FROM {stage} AS s JOIN {table.QuotedName} AS t ON t.id = s.id
               {table.PositionJoin}
               WHERE s.unionsync_kind = 1;
               """;
    }
}
