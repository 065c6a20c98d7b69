using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Seed 3B6ZI4LnP8d3 of the narrowed randomized test (docs/sync-engine.md §8). The city moves a member with a card out of
/// a district and deletes the card there: the card's tombstone sits where its member was, outside the district. The
/// member then comes back (moved back, or its delete lost to a grassroots edit under child-wins): the district and the
/// grassroots union below it still hold the card, and must lose it.
/// </summary>
public sealed class Bug_3B6ZI4LnP8d3_a_card_deleted_while_its_member_was_moved_out : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private readonly TestNode _union = TestNode.Sqlite("union");
    private Guid _unionScope;
    private Guid _elsewhere;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        var districts = await Federation.DistrictsAsync(_city);
        _unionScope = (await Federation.GrassrootsUnderAsync(_city, districts[0]))[0];
        _elsewhere = (await Federation.GrassrootsUnderAsync(_city, districts[1]))[0];
        await Harness.SyncAsync(_city, _district, districts[0]);
        await Harness.SyncAsync(_district, _union, _unionScope);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { _union, _district, _city })
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task is_deleted_at_every_tier_when_the_member_is_moved_back()
    {
        var (member, card) = await MemberWithCardAsync();
        await Roster.TransferMemberAsync(_city, member, _elsewhere);
        await _city.ExecAsync("DELETE FROM service_cards WHERE id = @id", ("@id", _city.Id(card)));
        await Roster.TransferMemberAsync(_city, member, _unionScope);

        await PassAsync();

        await AssertMemberWithoutCardEverywhereAsync(member, card);
    }

    [Fact]
    public async Task is_deleted_at_every_tier_when_a_grassroots_edit_of_the_member_wins_over_its_delete()
    {
        await _city.Provider.Metadata.SetPolicyAsync("members", ConflictPolicy.ChildWins, TestContext.Current.CancellationToken);
        var (member, card) = await MemberWithCardAsync();
        await Roster.TransferMemberAsync(_city, member, _elsewhere);
        await Roster.DeleteMemberAsync(_city, member);
        await Roster.RenameMemberAsync(_union, member, "基层改名");

        await PassAsync();

        Assert.Equal("update-delete", Assert.Single(await Harness.ConflictsAsync(_city)).Kind);
        Assert.Equal("基层改名", await Roster.MemberNameAsync(_city, member));
        await AssertMemberWithoutCardEverywhereAsync(member, card);
    }

    private async Task<(Guid Member, Guid Card)> MemberWithCardAsync()
    {
        var member = (await Federation.MembersWithCardsUnderAsync(_union, _unionScope))[0];
        var card = (await _union.IdsAsync("SELECT id FROM service_cards WHERE member_id = @m ORDER BY id", ("@m", _union.Id(member))))[0];
        return (member, card);
    }

    /// <summary>Up from the bottom, then down from the top.</summary>
    private async Task PassAsync()
    {
        await Harness.SyncAsync(_district, _union);
        await Harness.SyncAsync(_city, _district);
        await Harness.SyncAsync(_district, _union);
    }

    private async Task AssertMemberWithoutCardEverywhereAsync(Guid member, Guid card)
    {
        foreach (var node in new[] { _city, _district, _union })
        {
            Assert.Equal(1, await Roster.CountWhereIdAsync(node, "members", member));
            Assert.True(0 == await Roster.CountWhereIdAsync(node, "service_cards", card), $"{node} still holds the card deleted at the city");
            await Harness.AssertForeignKeysHoldAsync(node);
        }

        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _union);
    }
}
