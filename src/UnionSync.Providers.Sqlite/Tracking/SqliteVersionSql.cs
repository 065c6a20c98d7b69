namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>SQL about the node's logical counter and identity, shared by the tracker, snapshots and appliers.</summary>
internal static class SqliteVersionSql
{
    /// <summary>The last local version handed out: the highest tracking version or the floor left by removed tracking rows.</summary>
    public const string CurrentVersion =
        "max(coalesce((SELECT max(version) FROM unionsync_tracking), 0), n.version_floor)";

    public const string SelectNode = $"SELECT n.node_id, {CurrentVersion} FROM unionsync_node AS n";

    /// <summary>This node's wall clock as local writes are stamped with it (Unix milliseconds, clock_offset_ms included: the fold adds it), shifted left 16 bits.</summary>
    public const string Clock = "SELECT (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + clock_offset_ms) << 16 FROM unionsync_node";

    /// <summary>Run before deleting tracking rows, so that the counter never goes backwards.</summary>
    public const string RaiseFloor =
        "UPDATE unionsync_node SET version_floor = max(version_floor, coalesce((SELECT max(version) FROM unionsync_tracking), 0))";

    /// <summary>Table, column, declared type, "not null" of every column of the synced tables.</summary>
    public const string Columns =
        "SELECT m.name, c.name, c.type, c.\"notnull\" FROM sqlite_master AS m, pragma_table_info(m.name) AS c " +
        "WHERE m.type = 'table' AND m.name IN ('organizations', 'members', 'service_cards') ORDER BY m.name, c.cid";

    public const string NodeTableExists = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'unionsync_node'";

    /// <summary>The organisation and its descendants; parameter <c>@root</c>. UNION (not ALL) stops at a cycle.</summary>
    public const string Subtree =
        "WITH RECURSIVE s(id) AS (SELECT id FROM organizations WHERE id = @root " +
        "UNION SELECT o.id FROM organizations AS o JOIN s ON o.parent_id = s.id) SELECT id FROM s";
}
