using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Seed arNayjeBwAH7 of the narrowed randomized test (docs/sync-engine.md §8). The district moves a member from one of
/// its grassroots unions to another, which receives it; the first union deletes it meanwhile, and the district's policy
/// lets that delete win over the move. The city refuses the delete (it issued the member a card the district did not
/// know of) and re-sends its row, which the district applies over its tombstone back at the first union. That return is
/// a move for the district's children: the union the member had moved to must lose it again.
/// </summary>
public sealed class Bug_arNayjeBwAH7_a_member_brought_back_over_its_tombstone_elsewhere : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private readonly TestNode _first = TestNode.Sqlite("first-union");
    private readonly TestNode _second = TestNode.Sqlite("second-union");
    private Guid _firstScope;
    private Guid _secondScope;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        var district = (await Federation.DistrictsAsync(_city))[0];
        var unions = await Federation.GrassrootsUnderAsync(_city, district);
        (_firstScope, _secondScope) = (unions[0], unions[^1]);
        await Harness.SyncAsync(_city, _district, district);
        await Harness.SyncAsync(_district, _first, _firstScope);
        await Harness.SyncAsync(_district, _second, _secondScope);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { _second, _first, _district, _city })
        {
            await node.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(ConflictPolicy.ChildWins)]
    [InlineData(ConflictPolicy.LastWriterWins)]
    public async Task is_removed_from_the_union_it_had_moved_to(ConflictPolicy policy)
    {
        await _district.Provider.Metadata.SetPolicyAsync("members", policy, TestContext.Current.CancellationToken);
        var member = (await _first.IdsAsync(
            "SELECT id FROM members m WHERE organization_id = @o AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY id",
            ("@o", _first.Id(_firstScope))))[0];
        var card = await Roster.IssueCardAsync(_city, member);
        await Roster.TransferMemberAsync(_district, member, _secondScope);
        await Roster.DeleteMemberAsync(_first, member);

        await Harness.SyncAsync(_district, _second);
        Assert.Equal(1, await Roster.CountWhereIdAsync(_second, "members", member));
        var up = await Harness.SyncAsync(_district, _first);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_district, "members", member));
        var refused = await Harness.SyncAsync(_city, _district);
        Assert.Equal(1, await Roster.CountWhereIdAsync(_district, "members", member));
        await Harness.SyncAsync(_district, _second);
        await Harness.SyncAsync(_district, _first);

        Assert.Equal((1L, 1L), (up.Conflicts, refused.Conflicts));
        Assert.Equal("moved-out", Assert.Single(await Harness.ConflictsAsync(_district)).Kind);
        Assert.Equal("delete-with-unknown-dependents", Assert.Single(await Harness.ConflictsAsync(_city)).Kind);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_second, "members", member));
        Assert.Equal(_firstScope, (await _first.IdsAsync("SELECT organization_id FROM members WHERE id = @id", ("@id", _first.Id(member))))[0]);
        Assert.Equal(1, await Roster.CountWhereIdAsync(_first, "service_cards", card));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertConvergedAsync(_district, _first);
        await Harness.AssertConvergedAsync(_district, _second);
        foreach (var node in new[] { _city, _district, _first, _second })
        {
            await Harness.AssertForeignKeysHoldAsync(node);
        }
    }
}
