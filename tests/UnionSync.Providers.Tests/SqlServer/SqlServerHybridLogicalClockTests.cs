using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Hybrid-logical-clock versions on SQL Server: each test gets a new database on the run's server, or is skipped with the reason.</summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerHybridLogicalClockTests(SqlServerFixture server) : HybridLogicalClockTests
{
    // Version 1's member update trigger stamped plain sequence values; its node table had neither clock column.
    protected override IEnumerable<string> Version1Sql =>
    [
        """
        CREATE OR ALTER TRIGGER unionsync_members_update ON members AFTER UPDATE AS
        BEGIN
            SET NOCOUNT ON;
            IF CONVERT(int, SESSION_CONTEXT(N'unionsync.applying')) = 1 OR NOT EXISTS (SELECT 1 FROM inserted)
                RETURN;
            DECLARE @node_no int = (SELECT node_no FROM unionsync_node);
            UPDATE t SET version = NEXT VALUE FOR unionsync_version_seq, origin_node_no = @node_no, origin_version = NEXT VALUE FOR unionsync_version_seq,
                source_peer_no = NULL, deleted = 0, scope_org = NULL
            FROM unionsync_tracking AS t JOIN inserted AS i ON t.tbl = 2 AND t.id = i.id;
            INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
            SELECT 2, i.id, NEXT VALUE FOR unionsync_version_seq, @node_no, NEXT VALUE FOR unionsync_version_seq, NULL, 0, NULL
            FROM inserted AS i
            WHERE NOT EXISTS (SELECT 1 FROM unionsync_tracking AS t WHERE t.tbl = 2 AND t.id = i.id);
        END;
        """,
        "ALTER TABLE unionsync_node DROP CONSTRAINT df_unionsync_node_clock_offset_ms, df_unionsync_node_hlc_floor;",
        "ALTER TABLE unionsync_node DROP COLUMN clock_offset_ms, hlc_floor;",
        "UPDATE unionsync_node SET schema_version = 1;",
    ];

    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override object Key(Guid id) => id;
}
