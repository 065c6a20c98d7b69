using System.Globalization;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer.Tracking;

/// <summary>
/// The provisioning T-SQL: the embedded scripts <c>Tracking/provision.sql</c> and <c>Tracking/deprovision.sql</c>, split
/// into batches on <c>GO</c> lines once, and the small statements around them.
/// </summary>
internal static class SqlServerTrackingScripts
{
    /// <summary>The application lock that provisioning and deprovisioning take, owned by their transaction.</summary>
    public const string LockResource = "unionsync_tracking_provision";

    // sp_getapplock returns a negative status instead of raising: 0/1 granted, -1 timeout, -2 cancelled, -3 deadlock, -999 error.
    public const string LockSql =
        $"""
        DECLARE @lock_result int;
        EXEC @lock_result = sp_getapplock @Resource = N'{LockResource}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @lock_result < 0
            THROW 51000, N'Could not take the provisioning lock {LockResource}; another provisioner holds it or was chosen over this one. Retry.', 1;
        """;

    /// <summary>
    /// Change sessions read in SNAPSHOT isolation, which the database must allow. ALTER DATABASE cannot run inside a
    /// transaction, so this runs before the provisioning transaction; it waits for open transactions to finish.
    /// READ_COMMITTED_SNAPSHOT is not needed and is left as it is.
    /// </summary>
    public const string EnableSnapshotIsolationSql =
        """
        IF EXISTS (SELECT 1 FROM sys.databases WHERE database_id = DB_ID() AND snapshot_isolation_state <> 1)
            ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON;
        """;

    /// <summary>The version of the metadata tables this provider creates, kept in unionsync_node.</summary>
    public static readonly string MetadataSchemaVersionText = SyncMetadataVersion.Current.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Registers this node (parameter <c>@node_id</c>, used only when no node row exists yet) and returns the node id. A node
    /// provisioned by an older version, just upgraded by the provisioning batches, gets the current schema version.
    /// </summary>
    public static readonly string RegisterNodeSql =
        $"""
        IF NOT EXISTS (SELECT 1 FROM unionsync_node)
        BEGIN
            INSERT INTO unionsync_nodes (node_id) SELECT @node_id WHERE NOT EXISTS (SELECT 1 FROM unionsync_nodes WHERE node_id = @node_id);
            INSERT INTO unionsync_node (singleton, node_id, node_no, schema_version)
            SELECT 1, node_id, node_no, {MetadataSchemaVersionText} FROM unionsync_nodes WHERE node_id = @node_id;
        END;
        UPDATE unionsync_node SET schema_version = {MetadataSchemaVersionText} WHERE schema_version < {MetadataSchemaVersionText};
        SELECT node_id FROM unionsync_node;
        """;

    /// <summary>The node id, or no row where tracking is not provisioned (the guarded SELECT is compiled only when the table exists).</summary>
    public const string NodeIdSql =
        """
        IF OBJECT_ID(N'unionsync_node', N'U') IS NOT NULL
            SELECT node_id FROM unionsync_node;
        """;

    /// <summary>
    /// Parameter <c>@tables</c>, a JSON array of table numbers: unionsync_base_capture becomes exactly those, and a table not
    /// among them loses its base rows (docs/sync-engine.md §11).
    /// </summary>
    public static readonly string SetBaseCaptureSql =
        $"""
        SET NOCOUNT ON;
        DELETE FROM unionsync_base_capture WHERE tbl NOT IN (SELECT j.tbl FROM OPENJSON(@tables) WITH (tbl tinyint '$') AS j);
        INSERT INTO unionsync_base_capture (tbl)
        SELECT DISTINCT j.tbl FROM OPENJSON(@tables) WITH (tbl tinyint '$') AS j
        WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_capture AS c WITH (UPDLOCK, HOLDLOCK) WHERE c.tbl = j.tbl);
        {string.Join(Environment.NewLine, SqlServerTrackedTable.All.Select(t =>
            $"IF NOT EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {t.Number}) DELETE FROM {t.BaseTable};"))}
        """;

    /// <summary>1 when the node table exists and the nine triggers are on the three tables.</summary>
    public const string IsProvisionedSql =
        """
        SELECT CONVERT(int, CASE WHEN OBJECT_ID(N'unionsync_node', N'U') IS NOT NULL AND OBJECT_ID(N'unionsync_tracking', N'U') IS NOT NULL
            AND (SELECT COUNT(*) FROM sys.triggers
                 WHERE name LIKE N'unionsync[_]%' AND parent_id IN (OBJECT_ID(N'organizations'), OBJECT_ID(N'members'), OBJECT_ID(N'service_cards'))) = 9
            THEN 1 ELSE 0 END);
        """;

    // Its own dialect instance (splitting on GO lines), so that this class never waits on SqlServerStatements' initialisation.
    private static readonly SqlServerMigrationDialect s_dialect = new();
    private static readonly Lazy<IReadOnlyList<string>> s_provision = new(() => Load("provision.sql"));
    private static readonly Lazy<IReadOnlyList<string>> s_deprovision = new(() => Load("deprovision.sql"));

    public static IReadOnlyList<string> ProvisionBatches => s_provision.Value;

    public static IReadOnlyList<string> DeprovisionBatches => s_deprovision.Value;

    /// <summary>The whole text of an embedded script, GO lines included.</summary>
    public static string ReadScript(string fileName)
    {
        var name = "UnionSync.SqlServer.Tracking." + fileName;
        using var stream = typeof(SqlServerTrackingScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing from the SQL Server provider.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static List<string> Load(string fileName) => [.. s_dialect.SplitBatches(ReadScript(fileName))];
}
