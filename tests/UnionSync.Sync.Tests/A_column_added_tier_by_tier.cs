using System.Globalization;
using UnionSync.Providers.Postgres;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing.Postgres;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Issue 5, item 5: a nullable column added to members rolls out tier by tier (docs/sync-engine.md §10). The city
/// (PostgreSQL) gets it first, then one district (SQLite); the other district and the grassroots union below the
/// upgraded district stay on the old schema. Nobody deprovisions or downloads everything again, the old nodes keep
/// syncing the columns they know, and the new column's values are never overwritten on the way through them.
/// </summary>
[Trait("db", "postgres")]
public sealed class A_column_added_tier_by_tier(PostgresServerFixture server) : IAsyncLifetime
{
    private const string AddToPostgres = "ALTER TABLE members ADD COLUMN wechat_id text NULL, ADD COLUMN points bigint NULL";

    private readonly TestNode _district = TestNode.Sqlite("rollout-district");
    private readonly TestNode _otherDistrict = TestNode.Sqlite("rollout-other-district");
    private readonly TestNode _union = TestNode.Sqlite("rollout-union");
    private TestNode? _city;
    private Guid _districtScope;
    private Guid _otherScope;
    private Guid _unionScope;

    private TestNode City => _city!;

    public async ValueTask InitializeAsync()
    {
        server.EnsureAvailable();
        var connectionString = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        _city = TestNode.Postgres("rollout-city", new PostgresProviderFactory().Create(connectionString));
        await Federation.GenerateAsync(City, members: 1_500, seed: 17);
        var districts = await Federation.DistrictsAsync(City);
        (_districtScope, _otherScope) = (districts[0], districts[1]);
        _unionScope = (await Federation.GrassrootsUnderAsync(City, _districtScope))[0];
        await Harness.SyncAsync(City, _district, _districtScope);
        await Harness.SyncAsync(City, _otherDistrict, _otherScope);
        await Harness.SyncAsync(_district, _union, _unionScope);
    }

    public async ValueTask DisposeAsync()
    {
        await _union.DisposeAsync();
        await _otherDistrict.DisposeAsync();
        await _district.DisposeAsync();
        if (_city is not null)
        {
            await _city.DisposeAsync();
        }
    }

    [Fact]
    public async Task the_city_first_then_one_district_with_an_old_grassroots_union_below_it()
    {
        var members = await Federation.MembersOfAsync(City, _unionScope);
        var elsewhere = (await Federation.MembersOfAsync(City, (await Federation.GrassrootsUnderAsync(City, _otherScope))[0]))[0];

        // 1. The city alone has the column, and gives it values.
        await City.ExecAsync(AddToPostgres);
        for (var i = 0; i < 4; i++)
        {
            await SetAsync(City, members[i], $"wx-city-{i}", i + 1);
        }

        await SetAsync(City, elsewhere, "wx-city-other", 99);

        // The old nodes receive those versions (without the column), then edit the same members with the columns they
        // know, and sync every way.
        await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(City, _otherDistrict);
        await Harness.SyncAsync(_district, _union);
        await Roster.RenameMemberAsync(_union, members[0], "基层改名");
        var joined = await Roster.InsertMemberAsync(_union, _unionScope, "基层新会员");
        await Roster.RenameMemberAsync(_otherDistrict, elsewhere, "另一区改名");
        await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(City, _otherDistrict);
        await Harness.SyncAsync(_district, _union);

        Assert.Equal("基层改名", await Roster.MemberNameAsync(City, members[0]));
        Assert.Equal(("wx-city-0", 1L), await ReadAsync(City, members[0]));
        Assert.Equal(("wx-city-other", 99L), await ReadAsync(City, elsewhere));
        Assert.Equal((null, null), await ReadAsync(City, joined));
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertConvergedAsync(City, _otherDistrict);
        await Harness.AssertConvergedAsync(_district, _union);

        // 2. One district upgrades. Before its next sync it edits a member the city gave a value: its NULL there means
        // "not known yet", and must not travel up.
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN wechat_id TEXT NULL");
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN points INTEGER NULL");
        await _district.ExecAsync("UPDATE members SET phone = '13800000001' WHERE id = @id", ("@id", _district.Id(members[1])));
        var upgrade = await Harness.SyncAsync(City, _district);

        Assert.False(upgrade.InitialLoad);
        Assert.Equal(1, upgrade.RowsUp);
        Assert.Equal("13800000001", await City.ScalarAsync("SELECT phone FROM members WHERE id = @id", ("@id", members[1])));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(($"wx-city-{i}", i + 1L), await ReadAsync(_district, members[i]));
            Assert.Equal(($"wx-city-{i}", i + 1L), await ReadAsync(City, members[i]));
        }

        await Harness.AssertConvergedAsync(City, _district);

        // From now on the column syncs like any other between the city and that district, both ways.
        await SetAsync(_district, members[2], "wx-district-2", 20);
        await SetAsync(City, members[3], "wx-city-3b", 30);
        await Harness.SyncAsync(City, _district);
        Assert.Equal(("wx-district-2", 20L), await ReadAsync(City, members[2]));
        Assert.Equal(("wx-city-3b", 30L), await ReadAsync(_district, members[3]));

        // The old grassroots union below the upgraded district receives those versions and edits the same members: their
        // values survive it.
        await Harness.SyncAsync(_district, _union);
        await Roster.RenameMemberAsync(_union, members[2], "基层再改名");
        await Roster.RenameMemberAsync(_union, members[3], "基层三改名");
        await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(City, _district);

        Assert.Equal("基层再改名", await Roster.MemberNameAsync(City, members[2]));
        Assert.Equal(("wx-district-2", 20L), await ReadAsync(_district, members[2]));
        Assert.Equal(("wx-district-2", 20L), await ReadAsync(City, members[2]));
        Assert.Equal(("wx-city-3b", 30L), await ReadAsync(City, members[3]));
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertConvergedAsync(City, _otherDistrict);
        await Harness.AssertConvergedAsync(_district, _union);

        // 3. The grassroots union upgrades last: it is backfilled from its district, not reloaded.
        await _union.ExecAsync("ALTER TABLE members ADD COLUMN wechat_id TEXT NULL");
        await _union.ExecAsync("ALTER TABLE members ADD COLUMN points INTEGER NULL");
        var last = await Harness.SyncAsync(_district, _union);

        Assert.False(last.InitialLoad);
        Assert.Equal(0, last.RowsDown);
        Assert.Equal(("wx-district-2", 20L), await ReadAsync(_union, members[2]));
        Assert.Equal(("wx-city-0", 1L), await ReadAsync(_union, members[0]));
        await Harness.AssertConvergedAsync(_district, _union);
        await Harness.AssertForeignKeysHoldAsync(_union);
    }

    [Fact]
    public async Task a_value_set_at_the_city_reaches_a_grassroots_union_upgraded_before_its_district()
    {
        var member = (await Federation.MembersOfAsync(City, _unionScope))[0];
        await City.ExecAsync(AddToPostgres);
        await _union.ExecAsync("ALTER TABLE members ADD COLUMN wechat_id TEXT NULL");
        await _union.ExecAsync("ALTER TABLE members ADD COLUMN points INTEGER NULL");
        await SetAsync(City, member, "wx-early", 5);

        // The district between them has no column yet: the grassroots union keeps syncing, without the value.
        await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(_district, _union);
        Assert.Equal((null, null), await ReadAsync(_union, member));

        // The grassroots union syncs with its district first, the district with the city after: the value still arrives.
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN wechat_id TEXT NULL");
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN points INTEGER NULL");
        await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(City, _district);
        await Harness.SyncAsync(_district, _union);

        Assert.Equal(("wx-early", 5L), await ReadAsync(_union, member));
        await Harness.AssertConvergedAsync(City, _district);
        await Harness.AssertConvergedAsync(_district, _union);
    }

    [Fact]
    public async Task a_column_of_one_name_and_two_types_is_refused_naming_it()
    {
        await City.ExecAsync(AddToPostgres);
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN wechat_id INTEGER NULL");

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => Harness.SyncAsync(City, _district));

        Assert.Contains("members.wechat_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_added_column_that_is_not_nullable_is_refused_naming_it()
    {
        await _district.ExecAsync("ALTER TABLE members ADD COLUMN badge TEXT NOT NULL DEFAULT 'none'");

        var error = await Assert.ThrowsAsync<SchemaMismatchException>(() => Harness.SyncAsync(City, _district));

        Assert.Contains("members.badge", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);
    }

    private static Task<int> SetAsync(TestNode node, Guid member, string wechat, long points) =>
        node.ExecAsync("UPDATE members SET wechat_id = @w, points = @p WHERE id = @id", ("@w", wechat), ("@p", points), ("@id", node.Id(member)));

    private static async Task<(string? WeChat, long? Points)> ReadAsync(TestNode node, Guid member)
    {
        var row = (await node.QueryAsync("SELECT wechat_id, points FROM members WHERE id = @id", ("@id", node.Id(member)))).Single();
        return ((string?)row[0], row[1] is null ? null : Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
    }
}
