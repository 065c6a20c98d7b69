using UnionSync.Providers.Postgres;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing.Postgres;

namespace UnionSync.Sync.Tests;

[Trait("db", "postgres")]
public sealed class A_postgres_city_with_sqlite_children(PostgresServerFixture server) : IAsyncLifetime
{
    private readonly TestNode _district = TestNode.Sqlite("pg-district");
    private readonly TestNode _union = TestNode.Sqlite("pg-union");
    private TestNode? _city;
    private Guid _districtScope;
    private Guid _unionScope;

    private TestNode City => _city!;

    public async ValueTask InitializeAsync()
    {
        server.EnsureAvailable();
        var connectionString = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _city = TestNode.Postgres("pg-city", new PostgresProviderFactory().Create(connectionString));
        await Federation.GenerateAsync(City);
        _districtScope = (await Federation.DistrictsAsync(City))[0];
        _unionScope = (await Federation.GrassrootsUnderAsync(City, _districtScope))[0];
    }

    public async ValueTask DisposeAsync()
    {
        await _union.DisposeAsync();
        await _district.DisposeAsync();
        if (_city is not null)
        {
            await _city.DisposeAsync();
        }
    }

    [Fact]
    public async Task an_empty_sqlite_district_is_loaded_from_the_postgres_city_value_for_value()
    {
        var summary = await Harness.SyncAsync(City, _district, _districtScope);

        Assert.True(summary.InitialLoad);
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertForeignKeysHoldAsync(_district);
    }

    [Fact]
    public async Task edits_at_every_tier_converge_conflicts_go_to_the_parent_and_nothing_echoes()
    {
        await Harness.SyncAsync(City, _district, _districtScope);
        await Harness.SyncAsync(_district, _union, _unionScope);
        var members = await Federation.MembersOfAsync(City, _unionScope);
        await Roster.RenameMemberAsync(City, members[0], "市级");
        await Roster.RenameMemberAsync(_district, members[0], "区级");
        await Roster.RenameMemberAsync(_union, members[1], "基层");
        var added = await Roster.InsertMemberAsync(_union, _unionScope, "基层新会员");
        await Roster.IssueCardAsync(_union, added);
        var fromCity = await Roster.InsertMemberAsync(City, _unionScope, "市级新会员");

        await Harness.SyncAsync(_district, _union);
        var district = await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(_district, _union);
        var again = await Harness.SyncAsync(City, _district);

        Assert.Equal(1, district.Conflicts);
        Assert.Equal((0L, 0L), (again.RowsUp, again.RowsDown));
        Assert.Equal("市级", await Roster.MemberNameAsync(_union, members[0]));
        Assert.Equal("基层", await Roster.MemberNameAsync(City, members[1]));
        Assert.Equal(1, await Roster.CountWhereIdAsync(City, "members", added));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_union, "members", fromCity));
        Assert.Single(await Harness.ConflictsAsync(City));
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertConvergedAsync(_district, _union);
        await Harness.AssertForeignKeysHoldAsync(City);
    }

    [Fact]
    public async Task a_member_transferred_within_the_district_at_the_city_leaves_the_grassroots_node()
    {
        await Harness.SyncAsync(City, _district, _districtScope);
        await Harness.SyncAsync(_district, _union, _unionScope);
        var member = (await Federation.MembersOfAsync(City, _unionScope))[0];
        var other = (await Federation.GrassrootsUnderAsync(City, _districtScope))[1];
        await Roster.TransferMemberAsync(City, member, other);

        await Harness.SyncAsync(City, _district);
        var union = await Harness.SyncAsync(_district, _union);

        Assert.True(union.RemovalsByScopeMove >= 1);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_union, "members", member));
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertConvergedAsync(_district, _union);
    }

    [Fact]
    public async Task a_postgres_child_of_a_sqlite_parent_loads_through_copy_and_converges_after_edits()
    {
        await using var sqliteCity = TestNode.Sqlite("sqlite-city");
        await Federation.GenerateAsync(sqliteCity, members: 1_500, seed: 5);
        var connectionString = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await using var pgDistrict = TestNode.Postgres("pg-district", new PostgresProviderFactory().Create(connectionString));
        var scope = (await Federation.DistrictsAsync(sqliteCity))[0];
        await Harness.SyncAsync(sqliteCity, pgDistrict, scope);
        var union = (await Federation.GrassrootsUnderAsync(sqliteCity, scope))[0];
        var member = (await Federation.MembersOfAsync(pgDistrict, union))[0];
        await Roster.RenameMemberAsync(pgDistrict, member, "区里的PG");
        var added = await Roster.InsertMemberAsync(pgDistrict, union, "PG新会员");
        await Roster.IssueCardAsync(pgDistrict, added);
        await Roster.RenameMemberAsync(sqliteCity, (await Federation.MembersOfAsync(sqliteCity, union))[^1], "市里的SQLite");

        var summary = await Harness.SyncAsync(sqliteCity, pgDistrict);

        Assert.Equal(0, summary.Conflicts);
        Assert.Equal(3, summary.RowsUp);
        Assert.Equal("区里的PG", await Roster.MemberNameAsync(sqliteCity, member));
        await Harness.AssertConvergedAsync(sqliteCity, pgDistrict);
    }

    [Fact]
    public async Task merged_by_columns_a_postgres_city_and_its_sqlite_and_postgres_districts_keep_both_sides_edits()
    {
        var token = TestContext.Current.CancellationToken;
        var connectionString = await server.CreateDatabaseAsync(token);
        await using var pgDistrict = TestNode.Postgres("pg-district-merge", new PostgresProviderFactory().Create(connectionString));
        var otherScope = (await Federation.DistrictsAsync(City))[1];
        await Harness.SyncAsync(City, _district, _districtScope);
        await Harness.SyncAsync(City, pgDistrict, otherScope);
        await City.Provider.Metadata.SetPolicyAsync(new Policies.PolicyChange("members", Policies.ConflictPolicy.MergeColumns), token);
        await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(City, pgDistrict);
        var sqliteMember = (await Federation.MembersOfAsync(City, _unionScope))[0];
        var pgMember = (await Federation.MembersOfAsync(City, (await Federation.GrassrootsUnderAsync(City, otherScope))[0]))[0];
        foreach (var (child, member) in new[] { (_district, sqliteMember), (pgDistrict, pgMember) })
        {
            await City.ExecAsync("UPDATE members SET phone = '13800000021' WHERE id = @id", ("@id", City.Id(member)));
            await child.ExecAsync("UPDATE members SET skill_level = 5, name = '区里改的' WHERE id = @id", ("@id", child.Id(member)));

            var summary = await Harness.SyncAsync(City, child);

            Assert.Equal(1, summary.Conflicts);
            foreach (var node in new[] { City, child })
            {
                var row = Assert.Single(await node.QueryAsync("SELECT phone, skill_level, name FROM members WHERE id = @id", ("@id", node.Id(member))));
                Assert.Equal(("13800000021", 5L, "区里改的"), ((string?)row[0], Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture), (string?)row[2]));
            }

            Assert.Equal(0L, await child.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
            await Harness.AssertConvergedAsync(City, child);
        }
    }

    /// <summary>
    /// A PostgreSQL child's watermark is its snapshot's xmin, which any transaction open in the cluster holds back: the
    /// child's edit, committed and uploaded this session, lies above the upload's watermark. The merged row the parent
    /// writes for it must still come down in the same session, not be deferred as if the edit had not gone up.
    /// </summary>
    [Fact]
    public async Task a_merged_row_comes_down_to_a_postgres_child_while_another_transaction_holds_the_watermark_back()
    {
        var token = TestContext.Current.CancellationToken;
        var connectionString = await server.CreateDatabaseAsync(token);
        await using var pgDistrict = TestNode.Postgres("pg-district-held", new PostgresProviderFactory().Create(connectionString));
        await Harness.SyncAsync(City, pgDistrict, _districtScope);
        await City.Provider.Metadata.SetPolicyAsync(new Policies.PolicyChange("members", Policies.ConflictPolicy.MergeColumns), token);
        await Harness.SyncAsync(City, pgDistrict);
        var member = (await Federation.MembersOfAsync(City, _unionScope))[0];

        await using var holder = new Npgsql.NpgsqlConnection(connectionString);
        await holder.OpenAsync(token);
        await using var held = await holder.BeginTransactionAsync(token);
        await using (var xid = new Npgsql.NpgsqlCommand("SELECT pg_current_xact_id()", holder, held))
        {
            await xid.ExecuteScalarAsync(token);
        }

        await City.ExecAsync("UPDATE members SET phone = '13800000022' WHERE id = @id", ("@id", City.Id(member)));
        await pgDistrict.ExecAsync("UPDATE members SET skill_level = 5, name = '区里改的' WHERE id = @id", ("@id", pgDistrict.Id(member)));

        var summary = await Harness.SyncAsync(City, pgDistrict);
        await held.RollbackAsync(token);

        Assert.Equal((1L, 1L), (summary.Conflicts, summary.RowsDown));
        foreach (var node in new[] { City, pgDistrict })
        {
            var row = Assert.Single(await node.QueryAsync("SELECT phone, skill_level, name FROM members WHERE id = @id", ("@id", node.Id(member))));
            Assert.Equal(("13800000022", 5L, "区里改的"), ((string?)row[0], Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture), (string?)row[2]));
        }

        await Harness.AssertConvergedAsync(City, pgDistrict);
    }
}
