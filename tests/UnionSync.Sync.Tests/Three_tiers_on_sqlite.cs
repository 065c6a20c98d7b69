using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>City → district → two grassroots nodes: the one whose scope is a grassroots union, the other its street.</summary>
public sealed class Three_tiers_on_sqlite : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private readonly TestNode _union = TestNode.Sqlite("union");
    private readonly TestNode _street = TestNode.Sqlite("street");
    private Guid _unionScope;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        var district = (await Federation.DistrictsAsync(_city))[0];
        _unionScope = (await Federation.GrassrootsUnderAsync(_city, district))[0];
        var streetScope = (await _city.IdsAsync("SELECT parent_id FROM organizations WHERE id = @id", ("@id", _city.Id(_unionScope))))[0];
        await Harness.SyncAsync(_city, _district, district);
        await Harness.SyncAsync(_district, _union, _unionScope);
        await Harness.SyncAsync(_district, _street, streetScope);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { _street, _union, _district, _city })
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task a_grassroots_change_reaches_the_city_and_the_sibling_and_never_returns_to_its_origin()
    {
        var member = (await Federation.MembersOfAsync(_union, _unionScope))[0];
        await Roster.RenameMemberAsync(_union, member, "基层改名");
        var unionNode = await _union.Provider.Tracking.GetNodeIdAsync(TestContext.Current.CancellationToken);
        var originAtUnion = await OriginAsync(_union, member);

        var up = await Harness.SyncAsync(_district, _union);
        var toCity = await Harness.SyncAsync(_city, _district);
        await Harness.SyncAsync(_district, _street);
        var back = await Harness.SyncAsync(_district, _union);

        Assert.Equal((1L, 0L), (up.RowsUp, up.Conflicts));
        Assert.Equal((1L, 0L, 0L), (toCity.RowsUp, toCity.RowsDown, toCity.Conflicts));
        Assert.Equal((0L, 0L), (back.RowsUp, back.RowsDown));
        Assert.Equal("基层改名", await Roster.MemberNameAsync(_city, member));
        Assert.Equal("基层改名", await Roster.MemberNameAsync(_street, member));
        Assert.Equal(unionNode, originAtUnion.Node);
        Assert.Equal(originAtUnion, await OriginAsync(_union, member));
        Assert.Equal(originAtUnion, await OriginAsync(_district, member));
        Assert.Equal(originAtUnion, await OriginAsync(_city, member));
        Assert.Equal(originAtUnion, await OriginAsync(_street, member));
        Assert.Empty(await Harness.ConflictsAsync(_city));
        Assert.Empty(await Harness.ConflictsAsync(_district));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
        await Harness.AssertConvergedAsync(_district, _street);
    }

    [Fact]
    public async Task a_city_change_crosses_each_tier_once_and_a_later_grassroots_edit_of_it_is_no_conflict()
    {
        var member = (await Federation.MembersOfAsync(_city, _unionScope))[0];
        await Roster.RenameMemberAsync(_city, member, "市级改名");

        var district = await Harness.SyncAsync(_city, _district);
        var union = await Harness.SyncAsync(_district, _union);
        await Roster.RenameMemberAsync(_union, member, "基层再改");
        var up = await Harness.SyncAsync(_district, _union);
        var city = await Harness.SyncAsync(_city, _district);

        Assert.Equal(1, district.RowsDown);
        Assert.Equal(1, union.RowsDown);
        Assert.Equal((0L, 0L), (up.Conflicts, city.Conflicts));
        Assert.Equal("基层再改", await Roster.MemberNameAsync(_city, member));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
    }

    [Fact]
    public async Task a_member_moved_into_a_grassroots_scope_at_the_city_arrives_there_with_its_cards_through_the_district()
    {
        var otherDistrict = (await Federation.DistrictsAsync(_city))[1];
        var member = (await Federation.MembersWithCardsUnderAsync(_city, otherDistrict))[0];
        var cards = await _city.CountAsync("SELECT COUNT(*) FROM service_cards WHERE member_id = @m", ("@m", _city.Id(member)));
        await Roster.TransferMemberAsync(_city, member, _unionScope);

        await Harness.SyncAsync(_city, _district);
        await Harness.SyncAsync(_district, _union);

        Assert.Equal(1, await Roster.CountWhereIdAsync(_union, "members", member));
        Assert.Equal(cards, await _union.CountAsync("SELECT COUNT(*) FROM service_cards WHERE member_id = @m", ("@m", _union.Id(member))));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
    }

    [Fact]
    public async Task a_member_moved_out_of_the_district_at_the_city_is_removed_at_every_tier_and_a_grassroots_edit_of_it_loses_to_the_move()
    {
        var otherDistrict = (await Federation.DistrictsAsync(_city))[1];
        var target = (await Federation.GrassrootsUnderAsync(_city, otherDistrict))[0];
        var members = await Federation.MembersOfAsync(_city, _unionScope);
        var (moved, edited) = (members[0], members[1]);
        await Roster.TransferMemberAsync(_city, moved, target);
        await Roster.TransferMemberAsync(_city, edited, target);

        await Harness.SyncAsync(_city, _district);
        await Roster.RenameMemberAsync(_union, edited, "基层改了已调走的");
        var union = await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(_district, _street);
        var district = await Harness.SyncAsync(_city, _district);

        Assert.Equal(0, await Roster.CountWhereIdAsync(_district, "members", moved));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_union, "members", moved));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_street, "members", moved));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_union, "members", edited));
        Assert.Equal(1, union.Conflicts);
        Assert.Equal(0, district.Conflicts);
        Assert.Contains(await Harness.ConflictsAsync(_district), c => c.Key == edited && c.Kind == "moved-out");
        Assert.NotEqual("基层改了已调走的", await Roster.MemberNameAsync(_city, edited));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
        await Harness.AssertConvergedAsync(_district, _street);
    }

    private static async Task<Changes.VersionIdentity> OriginAsync(TestNode node, Guid member)
    {
        await node.SettleAsync();
        var rows = await node.QueryAsync(
            "SELECT n.node_id, t.origin_version FROM unionsync_tracking t JOIN unionsync_nodes n ON n.node_no = t.origin_node_no WHERE t.tbl = 2 AND t.id = @id",
            ("@id", node.Id(member)));
        var row = Assert.Single(rows);
        return new Changes.VersionIdentity(TestNode.ReadId(row[0]!), Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
