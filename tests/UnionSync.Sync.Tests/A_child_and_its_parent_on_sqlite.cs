using UnionSync.Sync.Engine;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

public sealed class A_child_and_its_parent_on_sqlite : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private Guid _scope;

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        _scope = (await Federation.DistrictsAsync(_city))[0];
    }

    public async ValueTask DisposeAsync()
    {
        await _district.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task an_empty_child_is_loaded_with_its_scope_and_verifies_equal()
    {
        var summary = await Harness.SyncAsync(_city, _district, _scope);

        Assert.True(summary.InitialLoad);
        Assert.Equal(_scope, summary.Scope);
        await Harness.AssertConvergedAsync(_city, _district);
        var expectedMembers = await _city.CountAsync(
            "SELECT COUNT(*) FROM members m JOIN organizations g ON g.id = m.organization_id JOIN organizations s ON s.id = g.parent_id WHERE s.parent_id = @d",
            ("@d", _city.Id(_scope)));
        Assert.True(expectedMembers > 0);
        Assert.Equal(expectedMembers, await Roster.CountAsync(_district, "members"));
        Assert.True(await Roster.CountAsync(_district, "members") < await Roster.CountAsync(_city, "members"), "the child holds its scope only");
        await Harness.AssertForeignKeysHoldAsync(_district);
    }

    [Fact]
    public async Task a_second_sync_with_nothing_changed_moves_nothing()
    {
        await Harness.SyncAsync(_city, _district, _scope);

        var again = await Harness.SyncAsync(_city, _district);

        Assert.False(again.InitialLoad);
        Assert.Equal(0, again.RowsUp);
        Assert.Equal(0, again.RowsDown);
        Assert.Equal(0, again.Conflicts);
    }

    [Fact]
    public async Task edits_on_both_sides_behind_the_engines_back_converge()
    {
        await Harness.SyncAsync(_city, _district, _scope);
        var grassroots = await Federation.GrassrootsUnderAsync(_city, _scope);
        var childMembers = await Federation.MembersOfAsync(_district, grassroots[0]);
        var parentMembers = await Federation.MembersOfAsync(_city, grassroots[^1]);
        await Roster.RenameMemberAsync(_district, childMembers[0], "子节点改名");
        var addedAtChild = await Roster.InsertMemberAsync(_district, grassroots[0], "子节点新会员");
        var cardAtChild = await Roster.IssueCardAsync(_district, addedAtChild);
        await Roster.RenameMemberAsync(_city, parentMembers[^1], "上级改名");
        var addedAtParent = await Roster.InsertMemberAsync(_city, grassroots[^1], "上级新会员");
        var deletedAtChild = childMembers[^1];
        await Roster.DeleteMemberAsync(_district, deletedAtChild);

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.Equal(0, summary.Conflicts);
        Assert.True(summary.RowsUp >= 4, $"rows up {summary.RowsUp}");
        Assert.True(summary.RowsDown >= 2, $"rows down {summary.RowsDown}");
        Assert.Equal("子节点改名", await Roster.MemberNameAsync(_city, childMembers[0]));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_city, "service_cards", cardAtChild));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "members", deletedAtChild));
        Assert.Equal("上级改名", await Roster.MemberNameAsync(_district, parentMembers[^1]));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_district, "members", addedAtParent));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertForeignKeysHoldAsync(_city);
        await Harness.AssertForeignKeysHoldAsync(_district);
    }

    [Fact]
    public async Task a_later_sync_with_another_scope_is_refused_naming_both()
    {
        await Harness.SyncAsync(_city, _district, _scope);
        var other = (await Federation.DistrictsAsync(_city)).First(d => d != _scope);

        var error = await Assert.ThrowsAsync<Errors.SyncConfigurationException>(() => Harness.SyncAsync(_city, _district, other));

        Assert.Contains(_scope.ToString("D"), error.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString("D"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_first_sync_without_a_scope_is_refused()
    {
        var error = await Assert.ThrowsAsync<Errors.SyncConfigurationException>(() => Harness.SyncAsync(_city, _district));

        Assert.Contains("scope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task small_batches_give_the_same_result_as_one_batch()
    {
        await Harness.SyncAsync(_city, _district, _scope, batchSize: 7);
        var grassroots = await Federation.GrassrootsUnderAsync(_city, _scope);
        for (var i = 0; i < 30; i++)
        {
            var member = await Roster.InsertMemberAsync(_district, grassroots[i % grassroots.Count]);
            await Roster.IssueCardAsync(_district, member);
        }

        var summary = await Harness.SyncAsync(_city, _district, batchSize: 7);

        Assert.Equal(60, summary.RowsUp);
        await Harness.AssertConvergedAsync(_city, _district);
    }
}
