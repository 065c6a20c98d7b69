using UnionSync.Providers.Sqlite.Tracking;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// Removes rows that left this node's scope (docs/sync-engine.md §5.7), with their dependents and tracking rows, while
/// the triggers stand aside: no tombstone travels up. Each removed key is appended to the move log (to nowhere), so that
/// this node's own children that hold it receive the removal in turn. Children go before parents, so foreign keys hold.
/// </summary>
internal sealed class SqliteLocalRemover
{
    private const string RemoveOrganization =
        "CREATE TEMP TABLE IF NOT EXISTS unionsync_remove (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; " +
        "DELETE FROM temp.unionsync_remove; " +
        "INSERT INTO temp.unionsync_remove " + SqliteVersionSql.Subtree + "; " +
        "DELETE FROM unionsync_tracking WHERE tbl = 3 AND id IN (SELECT c.id FROM service_cards AS c JOIN members AS m ON m.id = c.member_id " +
        "WHERE m.organization_id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM unionsync_base_service_cards WHERE id IN (SELECT c.id FROM service_cards AS c JOIN members AS m ON m.id = c.member_id " +
        "WHERE m.organization_id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM service_cards WHERE member_id IN (SELECT id FROM members WHERE organization_id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM unionsync_tracking WHERE tbl = 2 AND id IN (SELECT id FROM members WHERE organization_id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM unionsync_base_members WHERE id IN (SELECT id FROM members WHERE organization_id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM members WHERE organization_id IN (SELECT id FROM temp.unionsync_remove); " +
        "DELETE FROM unionsync_tracking WHERE tbl = 1 AND (id = @root OR id IN (SELECT id FROM temp.unionsync_remove)); " +
        "DELETE FROM unionsync_base_organizations WHERE id = @root OR id IN (SELECT id FROM temp.unionsync_remove); " +
        "DELETE FROM organizations WHERE id IN (SELECT id FROM temp.unionsync_remove);";

    private const string RemoveMember =
        "DELETE FROM unionsync_tracking WHERE tbl = 3 AND id IN (SELECT id FROM service_cards WHERE member_id = @root); " +
        "DELETE FROM unionsync_base_service_cards WHERE id IN (SELECT id FROM service_cards WHERE member_id = @root); " +
        "DELETE FROM service_cards WHERE member_id = @root; " +
        "DELETE FROM unionsync_tracking WHERE tbl = 2 AND id = @root; " +
        "DELETE FROM unionsync_base_members WHERE id = @root; " +
        "DELETE FROM members WHERE id = @root;";

    private const string RemoveCard =
        "DELETE FROM unionsync_tracking WHERE tbl = 3 AND id = @root; " +
        "DELETE FROM unionsync_base_service_cards WHERE id = @root; " +
        "DELETE FROM service_cards WHERE id = @root;";

    // A row this node already deleted (a tombstone) logs its removal too, from where its tombstone placed it: the
    // tombstone goes with the removal, and this node's children that still hold the row must hear of it.
    private const string LogOrganization =
        "INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org) SELECT @version, 1, id, parent_id, NULL FROM organizations WHERE id = @root" +
        " UNION ALL SELECT @version, 1, t.id, t.scope_org, NULL FROM unionsync_tracking AS t " +
        "WHERE t.tbl = 1 AND t.id = @root AND t.deleted = 1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = @root)";

    private const string LogMember =
        "INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org) SELECT @version, 2, id, organization_id, NULL FROM members WHERE id = @root" +
        " UNION ALL SELECT @version, 2, t.id, t.scope_org, NULL FROM unionsync_tracking AS t " +
        "WHERE t.tbl = 2 AND t.id = @root AND t.deleted = 1 AND NOT EXISTS (SELECT 1 FROM members WHERE id = @root)";

    private const string LogCard =
        "INSERT INTO unionsync_moves (version, tbl, id, from_org, to_org) " +
        "SELECT @version, 3, c.id, m.organization_id, NULL FROM service_cards AS c JOIN members AS m ON m.id = c.member_id WHERE c.id = @root" +
        " UNION ALL SELECT @version, 3, t.id, t.scope_org, NULL FROM unionsync_tracking AS t " +
        "WHERE t.tbl = 3 AND t.id = @root AND t.deleted = 1 AND NOT EXISTS (SELECT 1 FROM service_cards WHERE id = @root)";

    private readonly SqliteApplyContext _context;

    public SqliteLocalRemover(SqliteApplyContext context)
    {
        _context = context;
    }

    public async Task RemoveAsync(SqliteTrackedTable table, IReadOnlyCollection<Guid> keys, CancellationToken cancellationToken)
    {
        // Tracking rows are about to go: the counter read now is written as the floor on commit.
        await _context.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        var (remove, log) = table.Number switch
        {
            1 => (RemoveOrganization, LogOrganization),
            2 => (RemoveMember, LogMember),
            _ => (RemoveCard, LogCard),
        };
        var removeCommand = _context.Statements.Get(remove, "@root");
        var logCommand = _context.Statements.Get(log, "@version", "@root");
        foreach (var key in keys)
        {
            var root = SqliteStoredForm.FormatUuid(key);
            logCommand.Parameters[0].Value = await _context.NextVersionAsync(cancellationToken).ConfigureAwait(false);
            logCommand.Parameters[1].Value = root;
            await logCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            removeCommand.Parameters[0].Value = root;
            await removeCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
