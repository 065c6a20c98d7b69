using Microsoft.Data.SqlClient;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// Change capture on a real SQL Server: any writer's change is tracked by the triggers, the watermark race of DESIGN §7
/// is closed by MIN_ACTIVE_ROWVERSION, and deprovisioning leaves nothing. Each test has its own database, or is skipped with the reason.
/// </summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerTrackingIntegrationTests(SqlServerFixture server)
{
    private static readonly Guid OrgA = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c0a01");
    private static readonly Guid OrgB = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c0a02");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task provisioning_twice_keeps_the_node_id_and_writes_nothing_for_existing_rows()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);

        Assert.Equal(db.NodeId, await db.Provider.Tracking.ProvisionAsync(Token));
        Assert.Equal(db.NodeId, await db.Provider.Tracking.GetNodeIdAsync(Token));
        Assert.True(await db.Provider.Tracking.IsProvisionedAsync(Token));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_tracking"));
        Assert.Equal(1, await db.ScalarAsync("SELECT snapshot_isolation_state FROM sys.databases WHERE database_id = DB_ID()"));
    }

    [Fact]
    public async Task a_row_inserted_by_raw_SQL_is_captured_with_this_node_as_origin()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OrgA, null, 1, "市总工会"));

        var change = Assert.Single(await db.ChangesAsync(SyncTables.Organizations));

        Assert.Equal(ChangeKind.Upsert, change.Kind);
        Assert.Equal(OrgA, change.Key);
        Assert.Equal("市总工会", change.Values![SyncTables.Organizations.IndexOf("name")]);
        Assert.Equal(db.NodeId, change.Origin!.Value.Node);
        Assert.Null(change.Base);
    }

    [Fact]
    public async Task rows_loaded_in_bulk_after_provisioning_are_captured()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        await SqlServerSyncDatabase.LoadSampleRowsAsync(db.Provider);

        Assert.Equal(3, (await db.ChangesAsync(SyncTables.Members)).Count(c => c.Kind == ChangeKind.Upsert && c.Origin?.Node == db.NodeId));
    }

    [Fact]
    public async Task a_transaction_open_during_a_snapshot_is_shipped_by_the_next_snapshot()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OrgB, null, 1, "已提交"));
        await using var writer = (SqlConnection)await db.Provider.DataSource.OpenConnectionAsync(Token);
        await using var open = (SqlTransaction)await writer.BeginTransactionAsync(Token);
        await using (var insert = new SqlCommand(SqlServerSyncDatabase.InsertOrganizationSql(OrgA, null, 1, "慢事务"), writer, open))
        {
            await insert.ExecuteNonQueryAsync(Token);
        }

        // The open transaction's rowversion is below @@DBTS: a bound of @@DBTS would ship B, move the checkpoint past A, and lose A.
        long first;
        await using (var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            first = snapshot.Watermark;
            var seen = await SqlServerSyncDatabase.ToListAsync(snapshot.ReadChangesAsync(new ChangeQuery(SyncTables.Organizations, 0, null, null), Token));
            Assert.Equal([OrgB], seen.Select(c => c.Key));
        }

        await open.CommitAsync(Token);

        var next = await db.ChangesAsync(SyncTables.Organizations, since: first);
        Assert.Equal([OrgA], next.Select(c => c.Key));
    }

    [Fact]
    public async Task a_delete_leaves_a_tombstone_placed_by_the_members_organisation()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        await db.ExecuteAsync($"DELETE FROM service_cards WHERE member_id = '{SampleRows.MemberC}'; DELETE FROM members WHERE id = '{SampleRows.MemberC}';");

        var tombstone = Assert.Single(await db.ChangesAsync(SyncTables.Members));

        Assert.Equal(ChangeKind.Delete, tombstone.Kind);
        Assert.Equal(SampleRows.MemberC, tombstone.Key);
        Assert.Null(tombstone.Values);
        Assert.Equal(SampleRows.Grassroots, tombstone.ScopeOrganization);
        Assert.Equal(SampleRows.Grassroots, Assert.Single(await db.ChangesAsync(SyncTables.ServiceCards)).ScopeOrganization);
    }

    [Fact]
    public async Task a_member_transfer_is_logged_as_a_move_and_the_scope_filter_follows_the_member()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OrgA, SampleRows.City, 2, "海淀区总工会"));
        await db.ExecuteAsync($"UPDATE members SET organization_id = '{OrgA}' WHERE id = '{SampleRows.MemberA}';");

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var move = Assert.Single(await SqlServerSyncDatabase.ToListAsync(snapshot.ReadMovesAsync(0, Token)));
        Assert.Equal(("members", SampleRows.MemberA, (Guid?)SampleRows.Grassroots, (Guid?)OrgA), (move.Table, move.Key, move.FromOrganization, move.ToOrganization));

        var inDistrict = await SqlServerSyncDatabase.ToListAsync(snapshot.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, SampleRows.District, null), Token));
        var inNew = await SqlServerSyncDatabase.ToListAsync(snapshot.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, OrgA, null), Token));
        Assert.Empty(inDistrict);
        Assert.Equal(SampleRows.MemberA, Assert.Single(inNew).Key);
        Assert.True((await snapshot.ReadSubtreeAsync(SampleRows.District, Token)).SetEquals([SampleRows.District, SampleRows.Grassroots]));
    }

    [Fact]
    public async Task rows_of_a_subtree_are_read_with_their_identities()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        await db.ExecuteAsync($"UPDATE members SET skill_level = 4 WHERE id = '{SampleRows.MemberB}';");

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var members = await SqlServerSyncDatabase.ToListAsync(snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.Subtree(SampleRows.District), Token));
        var cards = await SqlServerSyncDatabase.ToListAsync(snapshot.ReadRowsAsync(SyncTables.ServiceCards, RowSelection.OfMembers([SampleRows.MemberA]), Token));

        Assert.Equal(3, members.Count);
        Assert.Equal(db.NodeId, members.Single(m => m.Key == SampleRows.MemberB).Origin!.Value.Node);
        Assert.All(members.Where(m => m.Key != SampleRows.MemberB), m => Assert.Null(m.Origin));
        Assert.Equal(SampleRows.MemberA, Assert.Single(cards).Values![SyncTables.ServiceCards.IndexOf("member_id")]);
    }

    [Fact]
    public async Task deprovisioning_drops_every_trigger_sequence_and_sync_table_and_keeps_the_data()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);

        await db.Provider.Tracking.DeprovisionAsync(Token);

        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM sys.objects WHERE name LIKE N'unionsync[_]%' AND name <> N'unionsync_schema_version'"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM sys.triggers"));
        Assert.Equal(3, await db.ScalarAsync("SELECT COUNT(*) FROM members"));
        Assert.False(await db.Provider.Tracking.IsProvisionedAsync(Token));
        await Assert.ThrowsAsync<SyncConfigurationException>(() => db.Provider.Tracking.GetNodeIdAsync(Token));
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OrgA, null, 1, "无追踪"));
    }
}
