using System.Diagnostics;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>Provisioning, change capture by any writer, and deprovisioning on PostgreSQL.</summary>
[Trait("db", "postgres")]
public sealed class A_provisioned_postgres_database(PostgresServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task provisions_existing_data_without_writing_a_tracking_row_per_row()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 20_000, Token);
        Assert.False(await db.Provider.Tracking.IsProvisionedAsync(Token));

        var clock = Stopwatch.StartNew();
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"Provisioning over 20,000 members took {clock.ElapsedMilliseconds} ms.");

        Assert.True(await db.Provider.Tracking.IsProvisionedAsync(Token));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_moves", Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"provisioning took {clock.Elapsed}");
        Assert.Equal(nodeId, await db.Provider.Tracking.GetNodeIdAsync(Token));
        Assert.Equal(7, nodeId.Version);
    }

    [Fact]
    public async Task provisions_idempotently_and_concurrently_with_one_node_id()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => db.Provider.Tracking.ProvisionAsync(Token)));
        var again = await db.Provider.Tracking.ProvisionAsync(Token);

        Assert.Single(ids.Distinct());
        Assert.Equal(ids[0], again);
        Assert.Equal(12L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'unionsync\\_%'", Token));
    }

    [Fact]
    public async Task captures_inserts_updates_deletes_and_moves_written_by_raw_sql()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 300, Token);
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        var (start, nothing) = await db.ReadChangesAsync(SyncTables.Members, 0, Token);
        Assert.Empty(nothing);

        var member = await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        var oldOrg = await db.AnyAsync($"SELECT organization_id FROM members WHERE id = '{member}'", Token);
        var newOrg = await db.AnyAsync($"SELECT id FROM organizations WHERE id <> '{oldOrg}' ORDER BY level DESC, id LIMIT 1", Token);
        var card = await db.AnyAsync($"SELECT c.id FROM service_cards c WHERE c.member_id <> '{member}' ORDER BY c.id LIMIT 1", Token);
        var cardOrg = await db.AnyAsync($"SELECT m.organization_id FROM service_cards c JOIN members m ON m.id = c.member_id WHERE c.id = '{card}'", Token);
        var newMember = Guid.CreateVersion7();

        await db.ExecuteAsync($"UPDATE members SET organization_id = '{newOrg}', phone = '13800000000' WHERE id = '{member}'", Token);
        await db.ExecuteAsync(
            "INSERT INTO members (id, organization_id, name, id_number, join_date, status, migrant_worker, skill_level, created_at, updated_at) " +
            $"VALUES ('{newMember}', '{newOrg}', '张三', '11010519491231002X', '2024-01-02', 'active', false, 2, now(), now())",
            Token);
        await db.ExecuteAsync($"DELETE FROM service_cards WHERE id = '{card}'", Token);

        var (_, members) = await db.ReadChangesAsync(SyncTables.Members, start, Token);
        Assert.Equal(new[] { member, newMember }.Order(), members.Select(c => c.Key));
        Assert.All(members, c =>
        {
            Assert.Equal(ChangeKind.Upsert, c.Kind);
            Assert.Equal(nodeId, c.Origin!.Value.Node);
            Assert.Null(c.Base);
        });
        var moved = members.Single(c => c.Key == member);
        Assert.Equal(newOrg, moved.Values![SyncTables.Members.IndexOf("organization_id")]);
        Assert.Equal("11010519491231002X", members.Single(c => c.Key == newMember).Values![SyncTables.Members.IndexOf("id_number")]);

        var (_, cards) = await db.ReadChangesAsync(SyncTables.ServiceCards, start, Token);
        var tombstone = Assert.Single(cards);
        Assert.Equal((card, ChangeKind.Delete, (Guid?)cardOrg), (tombstone.Key, tombstone.Kind, tombstone.ScopeOrganization));
        Assert.Null(tombstone.Values);

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var moves = new List<ScopeMove>();
        await foreach (var move in snapshot.ReadMovesAsync(start, Token))
        {
            moves.Add(move);
        }

        var logged = Assert.Single(moves);
        Assert.Equal(("members", member, (Guid?)oldOrg, (Guid?)newOrg), (logged.Table, logged.Key, logged.FromOrganization, logged.ToOrganization));
    }

    [Fact]
    public async Task keeps_the_base_of_a_row_on_a_local_write()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 50, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var member = await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        await db.ExecuteAsync(
            "INSERT INTO unionsync_nodes (node_id) VALUES ('0190a000-0000-7000-8000-000000000001'); " +
            "INSERT INTO unionsync_tracking (tbl, id, version, txid, origin_node_no, origin_version, base_node_no, base_version, deleted) " +
            $"SELECT 2, '{member}', 1, pg_current_xact_id(), n.node_no, 41, n.node_no, 41, false FROM unionsync_nodes n " +
            "WHERE n.node_id = '0190a000-0000-7000-8000-000000000001'",
            Token);

        await db.ExecuteAsync($"UPDATE members SET skill_level = 5 WHERE id = '{member}'", Token);

        var (_, changes) = await db.ReadChangesAsync(SyncTables.Members, 0, Token);
        var change = Assert.Single(changes);
        Assert.Equal(new VersionIdentity(Guid.Parse("0190a000-0000-7000-8000-000000000001"), 41), change.Base);
        Assert.NotEqual(change.Base, change.Origin);
    }

    [Fact]
    public async Task deprovisions_every_sync_object_and_keeps_the_data_and_can_provision_again()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 200, Token);
        var first = await db.Provider.Tracking.ProvisionAsync(Token);
        await db.ExecuteAsync("UPDATE members SET skill_level = 1 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 5)", Token);
        var members = await db.ScalarAsync<long>("SELECT count(*) FROM members", Token);

        await db.Provider.Tracking.DeprovisionAsync(Token);

        Assert.False(await db.Provider.Tracking.IsProvisionedAsync(Token));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'unionsync\\_%' AND relname NOT LIKE 'unionsync\\_schema\\_version%' " +
            "AND relnamespace = 'public'::regnamespace) " +
            "+ (SELECT count(*) FROM pg_proc WHERE proname LIKE 'unionsync\\_%') " +
            "+ (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'unionsync\\_%')",
            Token));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'unionsync_schema_version'", Token));
        Assert.Equal(members, await db.ScalarAsync<long>("SELECT count(*) FROM members", Token));
        await db.ExecuteAsync("UPDATE members SET skill_level = 2 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 5)", Token);

        var second = await db.Provider.Tracking.ProvisionAsync(Token);
        await db.ExecuteAsync("UPDATE members SET skill_level = 3 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 5)", Token);

        Assert.NotEqual(first, second);
        var (_, changes) = await db.ReadChangesAsync(SyncTables.Members, 0, Token);
        Assert.Equal(5, changes.Count);
        Assert.All(changes, c => Assert.Equal(second, c.Origin!.Value.Node));
    }
}
