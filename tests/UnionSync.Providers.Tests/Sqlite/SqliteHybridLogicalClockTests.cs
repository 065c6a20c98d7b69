using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>Hybrid-logical-clock versions on SQLite: each test gets its own temp file.</summary>
[Trait("db", "sqlite")]
public sealed class SqliteHybridLogicalClockTests : HybridLogicalClockTests, IAsyncDisposable
{
    private static readonly string[] Triggers =
    [
        .. new[] { "organizations", "members", "service_cards" }.SelectMany(t => new[] { "ai", "au", "mv", "ad", "ak" }.Select(s => $"unionsync_{t}_{s}")),
        "unionsync_node_clock_offset",
    ];

    private readonly List<TempSqliteDatabase> _databases = [];

    // SQLite refuses to drop a column that a trigger reads, so the current triggers go first; then version 1's member
    // update trigger, which counted max(version) + 1 with no clock, comes back.
    protected override IEnumerable<string> Version1Sql =>
    [
        .. Triggers.Select(t => $"DROP TRIGGER {t}"),
        "ALTER TABLE unionsync_node DROP COLUMN clock_offset_ms",
        "UPDATE unionsync_node SET schema_version = 1",
        """
        CREATE TRIGGER unionsync_members_au AFTER UPDATE ON members
        WHEN OLD.organization_id IS NEW.organization_id AND NOT EXISTS (SELECT 1 FROM unionsync_apply_guard)
        BEGIN
            INSERT INTO unionsync_tracking (tbl, id, version, origin_node_no, origin_version, source_peer_no, deleted, scope_org)
            SELECT 2, NEW.id, v.n, 1, v.n, NULL, 0, NULL FROM (SELECT max(coalesce((SELECT max(version) FROM unionsync_tracking), 0), version_floor) + 1 AS n FROM unionsync_node) AS v WHERE true
            ON CONFLICT (tbl, id) DO UPDATE SET version = excluded.version, origin_node_no = 1, origin_version = excluded.origin_version,
                source_peer_no = NULL, deleted = excluded.deleted, scope_org = excluded.scope_org;
        END
        """,
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken)
    {
        var database = new TempSqliteDatabase("hlc");
        _databases.Add(database);
        return Task.FromResult(new SqliteProviderFactory().CreateSync(database.ConnectionString));
    }

    protected override object Key(Guid id) => SqliteStoredForm.FormatUuid(id);
}
