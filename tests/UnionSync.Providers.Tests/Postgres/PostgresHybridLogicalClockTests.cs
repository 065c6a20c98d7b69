using UnionSync.Providers.Postgres;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>Hybrid-logical-clock versions on PostgreSQL: each test gets a new database on the run's server.</summary>
[Trait("db", "postgres")]
public sealed class PostgresHybridLogicalClockTests(PostgresServerFixture server) : HybridLogicalClockTests
{
    // Version 1's upsert capture stamped plain sequence values; its node table had neither clock column.
    protected override IEnumerable<string> Version1Sql =>
    [
        """
        CREATE OR REPLACE FUNCTION unionsync_track_upsert() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF current_setting('unionsync.applying', true) = 'on' THEN
                RETURN NULL;
            END IF;
            INSERT INTO unionsync_tracking AS t (tbl, id, version, txid, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
            SELECT TG_ARGV[0]::smallint, c.id, c.version, pg_current_xact_id(), (SELECT node_no FROM unionsync_node), c.version, NULL, false, NULL
            FROM (SELECT n.id, nextval('unionsync_version_seq') AS version FROM unionsync_new n) c
            ON CONFLICT (tbl, id) DO UPDATE SET version = EXCLUDED.version, txid = EXCLUDED.txid, origin_node_no = EXCLUDED.origin_node_no,
                origin_version = EXCLUDED.origin_version, source_peer_no = NULL, deleted = false, scope_org = NULL;
            RETURN NULL;
        END
        $fn$
        """,
        "ALTER TABLE unionsync_node DROP COLUMN clock_offset_ms, DROP COLUMN hlc_floor",
        "UPDATE unionsync_node SET schema_version = 1",
    ];

    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override object Key(Guid id) => id;
}
