using UnionSync.Sync.Errors;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

public sealed class Scope_moves_and_violations : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _east = TestNode.Sqlite("east");
    private readonly TestNode _west = TestNode.Sqlite("west");
    private Guid _eastScope;
    private Guid _westScope;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city, members: 3_000);
        var districts = await Federation.DistrictsAsync(_city);
        (_eastScope, _westScope) = (districts[0], districts[1]);
        await Harness.SyncAsync(_city, _east, _eastScope);
        await Harness.SyncAsync(_city, _west, _westScope);
    }

    public async ValueTask DisposeAsync()
    {
        await _east.DisposeAsync();
        await _west.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task a_member_transferred_to_another_district_leaves_the_old_node_with_its_cards_and_reaches_the_new_one()
    {
        var member = (await Federation.MembersWithCardsUnderAsync(_city, _eastScope))[0];
        var cards = await _city.IdsAsync("SELECT id FROM service_cards WHERE member_id = @m", ("@m", _city.Id(member)));
        var target = (await Federation.GrassrootsUnderAsync(_city, _westScope))[0];
        await Roster.TransferMemberAsync(_city, member, target);

        var east = await Harness.SyncAsync(_city, _east);
        await Harness.SyncAsync(_city, _west);

        Assert.True(east.RemovalsByScopeMove >= 1);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_east, "members", member));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_west, "members", member));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_city, "members", member));
        foreach (var card in cards)
        {
            Assert.Equal(0, await Roster.CountWhereIdAsync(_east, "service_cards", card));
            Assert.Equal(1, await Roster.CountWhereIdAsync(_west, "service_cards", card));
        }

        await Harness.AssertConvergedAsync(_city, _east);
        await Harness.AssertConvergedAsync(_city, _west);
    }

    [Fact]
    public async Task an_organisation_moved_to_another_district_takes_its_subtree_along()
    {
        var street = (await Federation.StreetsUnderAsync(_city, _eastScope))[0];
        var membersBelow = await _city.CountAsync(
            "SELECT COUNT(*) FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.parent_id = @s", ("@s", _city.Id(street)));
        await Roster.MoveOrganizationAsync(_city, street, _westScope);

        await Harness.SyncAsync(_city, _east);
        await Harness.SyncAsync(_city, _west);

        Assert.Equal(0, await Roster.CountWhereIdAsync(_east, "organizations", street));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_west, "organizations", street));
        Assert.Equal(membersBelow, await _west.CountAsync(
            "SELECT COUNT(*) FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.parent_id = @s", ("@s", _west.Id(street))));
        await Harness.AssertConvergedAsync(_city, _east);
        await Harness.AssertConvergedAsync(_city, _west);
        await Harness.AssertForeignKeysHoldAsync(_east);
        await Harness.AssertForeignKeysHoldAsync(_west);
    }

    [Fact]
    public async Task a_member_written_into_an_organisation_outside_the_scope_is_refused_and_nothing_of_the_batch_applied()
    {
        var city = (Guid)(await _city.IdsAsync("SELECT id FROM organizations WHERE level = 1"))[0];
        var inside = (await Federation.GrassrootsUnderAsync(_east, _eastScope))[0];
        var lawful = await Roster.InsertMemberAsync(_east, inside, "合法的");
        var outside = await Roster.InsertMemberAsync(_east, city, "越界的");

        var error = await Assert.ThrowsAsync<ScopeViolationException>(() => Harness.SyncAsync(_city, _east));

        Assert.Contains("members", error.Message, StringComparison.Ordinal);
        Assert.Contains(outside.ToString("D"), error.Message, StringComparison.Ordinal);
        Assert.Contains(_eastScope.ToString("D"), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "members", lawful));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "members", outside));
    }

    [Fact]
    public async Task a_member_edited_at_the_node_while_moved_out_at_the_parent_is_a_conflict_the_move_wins()
    {
        var member = (await Federation.MembersWithCardsUnderAsync(_city, _eastScope))[0];
        var target = (await Federation.GrassrootsUnderAsync(_city, _westScope))[0];
        await Roster.TransferMemberAsync(_city, member, target);
        await Roster.RenameMemberAsync(_east, member, "东区改名");

        var summary = await Harness.SyncAsync(_city, _east);
        await Harness.SyncAsync(_city, _west);

        Assert.Equal(1, summary.Conflicts);
        Assert.Contains(await Harness.ConflictsAsync(_city), c => c.Key == member && c.Kind == "moved-out");
        Assert.Equal(0, await Roster.CountWhereIdAsync(_east, "members", member));
        Assert.NotEqual("东区改名", await Roster.MemberNameAsync(_city, member));
        await Harness.AssertConvergedAsync(_city, _east);
        await Harness.AssertConvergedAsync(_city, _west);
    }

    [Fact]
    public async Task a_member_the_node_moved_out_of_its_own_scope_is_a_violation()
    {
        var member = (await Federation.MembersOfAsync(_east, (await Federation.GrassrootsUnderAsync(_east, _eastScope))[0]))[0];
        var city = (await _east.IdsAsync("SELECT id FROM organizations WHERE level = 1"))[0];
        await Roster.TransferMemberAsync(_east, member, city);

        await Assert.ThrowsAsync<ScopeViolationException>(() => Harness.SyncAsync(_city, _east));

        Assert.NotEqual(city, (await _city.IdsAsync("SELECT organization_id FROM members WHERE id = @id", ("@id", _city.Id(member))))[0]);
    }
}
