using UnionSync.Providers.SqlServer.Apply;

namespace UnionSync.Providers.SqlServer.Retention;

/// <summary>
/// Retention's T-SQL (docs/sync-engine.md §9). The watermark is <c>MIN_ACTIVE_ROWVERSION()</c> as bigint: a peer whose
/// checkpoint is <c>W</c> has every change whose rowversion is below <c>W</c>, so a floor <c>F</c> lets tombstones and
/// moves with <c>rv &lt; F</c> go. Listed in <see cref="Statements"/> so that tests parse each one without a server.
/// </summary>
internal static class SqlServerRetentionSql
{
    public const string TablesExistSql =
        "SELECT CASE WHEN OBJECT_ID(N'unionsync_watermark_marks', N'U') IS NULL THEN 0 ELSE 1 END " +
        "+ CASE WHEN OBJECT_ID(N'unionsync_retention', N'U') IS NULL THEN 0 ELSE 1 END;";

    /// <summary>An admission's read of the floor: holds the row against a purge until commit, and waits for one that holds it.</summary>
    public const string SelectFloorForAdmissionSql = "SELECT purge_floor FROM unionsync_retention WITH (HOLDLOCK) WHERE id = 1;";

    public const string DeleteTombstonesSql = "DELETE FROM unionsync_tracking WHERE deleted = 1 AND rv < CONVERT(binary(8), @floor);";

    public const string DeleteMovesSql = "DELETE FROM unionsync_moves WHERE rv < CONVERT(binary(8), @floor);";

    /// <summary>uniqueidentifier does not compare in byte order; its text form (uppercase) does.</summary>
    public const string DeleteBatchesSql =
        "DELETE FROM unionsync_applied_batches WHERE SUBSTRING(CONVERT(char(36), session_id), 15, 1) = '7' " +
        "AND CONVERT(char(36), session_id) < @session_bound;";

    /// <summary>
    /// The triggers stand aside (<see cref="SqlServerApplySql.BeginSql"/>), then exclusive table locks that writers wait
    /// for until commit. SNAPSHOT readers (the change reader's) take no shared locks and go on reading.
    /// </summary>
    public const string HoldSql =
        SqlServerApplySql.BeginSql + "\n" +
        """
        SELECT TOP (1) 1 FROM organizations WITH (TABLOCKX, HOLDLOCK);
        SELECT TOP (1) 1 FROM members WITH (TABLOCKX, HOLDLOCK);
        SELECT TOP (1) 1 FROM service_cards WITH (TABLOCKX, HOLDLOCK);
        """;

    /// <summary>
    /// Children first, tracking rows, moves and base rows too; then the floor: a rowversion taken now (the retention row's)
    /// is above every MIN_ACTIVE_ROWVERSION() read before it, so one more is above every watermark handed out.
    /// </summary>
    public const string ClearSql =
        """
        DELETE FROM service_cards;
        DELETE FROM members;
        DELETE FROM organizations;
        DELETE FROM unionsync_tracking;
        DELETE FROM unionsync_moves;
        DELETE FROM unionsync_base_organizations;
        DELETE FROM unionsync_base_members;
        DELETE FROM unionsync_base_service_cards;
        UPDATE unionsync_retention SET purged_at = SYSUTCDATETIME() WHERE id = 1;
        IF @@ROWCOUNT = 0
            INSERT INTO unionsync_retention (id, purge_floor, purged_at) VALUES (1, 0, SYSUTCDATETIME());
        SELECT CONVERT(bigint, rv) + 1 FROM unionsync_retention WHERE id = 1;
        """;

    /// <summary>Bulk reload: only the triggers stand aside; the bulk path's own savepoints handle a failed table.</summary>
    public const string ReloadSql = "EXEC sp_set_session_context @key = N'unionsync.applying', @value = 1;";

    public static IEnumerable<KeyValuePair<string, string>> Statements()
    {
        yield return new("retention TablesExistSql", TablesExistSql);
        yield return new("retention SelectFloorForAdmissionSql", SelectFloorForAdmissionSql);
        yield return new("retention DeleteTombstonesSql", DeleteTombstonesSql);
        yield return new("retention DeleteMovesSql", DeleteMovesSql);
        yield return new("retention DeleteBatchesSql", DeleteBatchesSql);
        yield return new("retention HoldSql", HoldSql);
        yield return new("retention ClearSql", ClearSql);
        yield return new("retention ReloadSql", ReloadSql);
    }
}
