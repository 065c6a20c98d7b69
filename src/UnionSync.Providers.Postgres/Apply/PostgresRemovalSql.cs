using UnionSync.Providers.Postgres.Tracking;

namespace UnionSync.Providers.Postgres.Apply;

/// <summary>
/// Local removal of rows that left the scope (docs/sync-engine.md §5.7): first one move per key given into the move log
/// (<c>from_org</c> = the organisation that placed the row in scopes here, <c>to_org</c> NULL; the dependents removed
/// with it get none), so that this node's own children receive the removal in turn; then the tracking rows and base rows
/// (found through the data still there), then cards, members and organisations. Run with the triggers standing aside: no
/// tombstone, nothing travels up.
/// </summary>
internal static class PostgresRemovalSql
{
    private const string Subtree =
        "WITH RECURSIVE sub AS (SELECT o.id FROM organizations o WHERE o.id = ANY(@keys) " +
        "UNION SELECT o.id FROM organizations o JOIN sub ON o.parent_id = sub.id) ";

    private static readonly IReadOnlyList<string> Organizations =
    [
        LogRemovals(PostgresTrackedTable.Organizations),
        Subtree + "DELETE FROM unionsync_tracking t USING service_cards c JOIN members m ON m.id = c.member_id " +
            "WHERE t.tbl = 3 AND t.id = c.id AND m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM unionsync_tracking t USING members m WHERE t.tbl = 2 AND t.id = m.id AND m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM unionsync_tracking t WHERE t.tbl = 1 AND (t.id IN (SELECT id FROM sub) OR t.id = ANY(@keys))",
        Subtree + "DELETE FROM unionsync_base_service_cards b USING service_cards c JOIN members m ON m.id = c.member_id " +
            "WHERE b.id = c.id AND m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM unionsync_base_members b USING members m WHERE b.id = m.id AND m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM unionsync_base_organizations b WHERE b.id IN (SELECT id FROM sub) OR b.id = ANY(@keys)",
        Subtree + "DELETE FROM service_cards c USING members m WHERE c.member_id = m.id AND m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM members m WHERE m.organization_id IN (SELECT id FROM sub)",
        Subtree + "DELETE FROM organizations o WHERE o.id IN (SELECT id FROM sub)",
    ];

    private static readonly IReadOnlyList<string> Members =
    [
        LogRemovals(PostgresTrackedTable.Members),
        "DELETE FROM unionsync_tracking t USING service_cards c WHERE t.tbl = 3 AND t.id = c.id AND c.member_id = ANY(@keys)",
        "DELETE FROM unionsync_tracking t WHERE t.tbl = 2 AND t.id = ANY(@keys)",
        "DELETE FROM unionsync_base_service_cards b USING service_cards c WHERE b.id = c.id AND c.member_id = ANY(@keys)",
        "DELETE FROM unionsync_base_members b WHERE b.id = ANY(@keys)",
        "DELETE FROM service_cards c WHERE c.member_id = ANY(@keys)",
        "DELETE FROM members m WHERE m.id = ANY(@keys)",
    ];

    private static readonly IReadOnlyList<string> ServiceCards =
    [
        LogRemovals(PostgresTrackedTable.ServiceCards),
        "DELETE FROM unionsync_tracking t WHERE t.tbl = 3 AND t.id = ANY(@keys)",
        "DELETE FROM unionsync_base_service_cards b WHERE b.id = ANY(@keys)",
        "DELETE FROM service_cards c WHERE c.id = ANY(@keys)",
    ];

    /// <summary>
    /// A move per key given (a key whose row is not here logs nothing, unless this node deleted it: then its tombstone's
    /// organisation, for the tombstone goes with the removal and this node's children must still hear of it), in the same
    /// version/watermark unit as the triggers' and the applier's moves: a version from the sequence and this
    /// transaction's id, which the move log is selected by (<c>txid &gt;= since</c>).
    /// </summary>
    private static string LogRemovals(PostgresTrackedTable table) =>
        "INSERT INTO unionsync_moves (version, txid, tbl, id, from_org, to_org) " +
        $"SELECT nextval('unionsync_version_seq'), pg_current_xact_id(), {table.Number}, c.id, c.from_org, NULL FROM " +
        $"(SELECT r.id, {table.LocalScopeOrg} AS from_org FROM \"{table.Name}\" r WHERE r.id = ANY(@keys) " +
        $"UNION ALL SELECT t.id, t.scope_org FROM unionsync_tracking t WHERE t.tbl = {table.Number} AND t.deleted AND t.id = ANY(@keys) " +
        $"AND NOT EXISTS (SELECT 1 FROM \"{table.Name}\" x WHERE x.id = t.id)) c ORDER BY c.id";

    public static IReadOnlyList<string> For(PostgresTrackedTable table) => table.Number switch
    {
        1 => Organizations,
        2 => Members,
        _ => ServiceCards,
    };
}
