using System.Text.Json;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

public sealed class Conflicting_edits_of_one_row : IAsyncLifetime
{
    private readonly TestNode _city = TestNode.Sqlite("city");
    private readonly TestNode _district = TestNode.Sqlite("district");
    private Guid _scope;
    private List<Guid> _grassroots = [];

    public async ValueTask InitializeAsync()
    {
        await Federation.GenerateAsync(_city);
        _scope = (await Federation.DistrictsAsync(_city))[0];
        _grassroots = await Federation.GrassrootsUnderAsync(_city, _scope);
        await Harness.SyncAsync(_city, _district, _scope);
    }

    public async ValueTask DisposeAsync()
    {
        await _district.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task parent_wins_and_the_conflict_is_logged_with_both_versions()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        await Roster.RenameMemberAsync(_city, member, "上级的名字");
        await Roster.RenameMemberAsync(_district, member, "下级的名字");

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.Equal(1, summary.Conflicts);
        Assert.Equal("上级的名字", await Roster.MemberNameAsync(_city, member));
        Assert.Equal("上级的名字", await Roster.MemberNameAsync(_district, member));
        var conflict = Assert.Single(await Harness.ConflictsAsync(_city));
        Assert.Equal("members", conflict.Table);
        Assert.Equal(member, conflict.Key);
        Assert.Equal("parent-wins", conflict.Policy);
        Assert.Equal("resolved", conflict.State);
        Assert.Equal("上级的名字", JsonDocument.Parse(conflict.ParentVersion!).RootElement.GetProperty("name").GetString());
        Assert.Equal("下级的名字", JsonDocument.Parse(conflict.ChildVersion!).RootElement.GetProperty("name").GetString());
        Assert.NotNull(conflict.ParentIdentity);
        Assert.NotNull(conflict.ChildIdentity);
        Assert.NotEqual(conflict.ParentIdentity, conflict.ChildIdentity);
        await Harness.AssertConvergedAsync(_city, _district);
    }

    [Fact]
    public async Task an_untouched_rows_first_change_is_not_a_conflict_nor_are_the_ones_after()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];

        await Roster.RenameMemberAsync(_district, member, "第一次");
        var first = await Harness.SyncAsync(_city, _district);
        await Roster.RenameMemberAsync(_district, member, "第二次");
        var second = await Harness.SyncAsync(_city, _district);
        await Roster.RenameMemberAsync(_city, member, "上级第三次");
        var third = await Harness.SyncAsync(_city, _district);
        await Roster.RenameMemberAsync(_district, member, "下级第四次");
        var fourth = await Harness.SyncAsync(_city, _district);

        Assert.Equal([0L, 0L, 0L, 0L], new[] { first.Conflicts, second.Conflicts, third.Conflicts, fourth.Conflicts });
        Assert.Empty(await Harness.ConflictsAsync(_city));
        Assert.Equal("下级第四次", await Roster.MemberNameAsync(_city, member));
        await Harness.AssertConvergedAsync(_city, _district);
    }

    [Fact]
    public async Task a_row_edited_at_the_child_and_deleted_at_the_parent_stays_deleted()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        await Roster.DeleteMemberAsync(_city, member);
        await Roster.RenameMemberAsync(_district, member, "已删除仍编辑");

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.Equal(1, summary.Conflicts);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "members", member));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_district, "members", member));
        Assert.Equal("update-delete", Assert.Single(await Harness.ConflictsAsync(_city)).Kind);
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertForeignKeysHoldAsync(_district);
    }

    [Fact]
    public async Task a_card_issued_at_the_child_for_a_member_deleted_at_the_parent_leaves_no_orphan_and_no_resurrection()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        await Roster.DeleteMemberAsync(_city, member);
        var card = await Roster.IssueCardAsync(_district, member);

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.True(summary.Conflicts >= 1);
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "members", member));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_city, "service_cards", card));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_district, "members", member));
        Assert.Equal(0, await Roster.CountWhereIdAsync(_district, "service_cards", card));
        Assert.Contains(await Harness.ConflictsAsync(_city), c => c.Key == card && c.Kind == "parent-row-deleted");
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertForeignKeysHoldAsync(_city);
        await Harness.AssertForeignKeysHoldAsync(_district);
        var again = await Harness.SyncAsync(_city, _district);
        Assert.Equal(0, again.RowsUp);
        Assert.Equal(0, again.Conflicts);
    }

    [Fact]
    public async Task a_member_deleted_at_the_child_while_the_parent_issued_it_a_card_stays_with_that_card()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        var card = await Roster.IssueCardAsync(_city, member);
        await Roster.DeleteMemberAsync(_district, member);

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.Equal(1, summary.Conflicts);
        Assert.Equal("delete-with-unknown-dependents", Assert.Single(await Harness.ConflictsAsync(_city)).Kind);
        Assert.Equal(1, await Roster.CountWhereIdAsync(_city, "members", member));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_district, "members", member));
        Assert.Equal(1, await Roster.CountWhereIdAsync(_district, "service_cards", card));
        await Harness.AssertConvergedAsync(_city, _district);
        await Harness.AssertForeignKeysHoldAsync(_district);
    }

    [Fact]
    public async Task a_clock_hours_wrong_at_the_child_decides_nothing()
    {
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        await Roster.RenameMemberAsync(_city, member, "上级");
        await _district.ExecAsync("UPDATE members SET name = '下级', updated_at = '2099-01-01T00:00:00Z' WHERE id = @id", ("@id", _district.Id(member)));

        var summary = await Harness.SyncAsync(_city, _district);

        Assert.Equal(1, summary.Conflicts);
        Assert.Equal("上级", await Roster.MemberNameAsync(_district, member));
        await Harness.AssertConvergedAsync(_city, _district);
    }
}
