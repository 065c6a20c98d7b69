using System.Text.Json;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>
/// merge-columns and field-authority (docs/sync-engine.md §11) on the city–district edge (tier 0) and the
/// district–grassroots edge (tier 1) of a three-tier federation on SQLite: edits of different columns are both kept at
/// every node; a column both sides changed goes to its owner or the fallback; the log says which column went where.
/// </summary>
public sealed class Column_merging_policies_at_two_tiers : IAsyncLifetime
{
    private readonly ThreeTiers _tiers = new("merge-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_tiers.InitializeAsync());

    public ValueTask DisposeAsync() => _tiers.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task edits_of_different_columns_are_both_kept_everywhere(int tier)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetAsync(parent, new PolicyChange("members", ConflictPolicy.MergeColumns));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(parent, member, "phone", "13800000001");
        await SetColumnAsync(child, member, "skill_level", 5);

        var summary = await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        Assert.Equal(1, summary.Conflicts);
        await AssertEverywhereAsync(member, "phone", "13800000001");
        await AssertEverywhereAsync(member, "skill_level", 5L);
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Equal(("update-update", "merge-columns", ConflictStates.Resolved), (conflict.Kind, conflict.Policy, conflict.State));
        Assert.Contains("the child's skill_level kept", conflict.Outcome, StringComparison.Ordinal);
        Assert.Contains("the parent's phone kept", conflict.Outcome, StringComparison.Ordinal);
        Assert.Contains("written here as a new version", conflict.Outcome, StringComparison.Ordinal);
        Assert.Empty(await Harness.ConflictsAsync(tier == 0 ? _tiers.District : _tiers.City));
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(0, ConflictPolicy.ParentWins, "上级的名字")]
    [InlineData(0, ConflictPolicy.ChildWins, "下级的名字")]
    [InlineData(1, ConflictPolicy.ParentWins, "上级的名字")]
    [InlineData(1, ConflictPolicy.ChildWins, "下级的名字")]
    public async Task the_same_column_changed_on_both_sides_is_decided_by_the_fallback(int tier, ConflictPolicy fallback, string name)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetAsync(parent, new PolicyChange("members", ConflictPolicy.MergeColumns, fallback));
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(parent, member, "上级的名字");
        await SetColumnAsync(parent, member, "phone", "13800000002");
        await Roster.RenameMemberAsync(child, member, "下级的名字");
        await SetColumnAsync(child, member, "skill_level", 4);

        await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "name", name);
        await AssertEverywhereAsync(member, "phone", "13800000002");
        await AssertEverywhereAsync(member, "skill_level", 4L);
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Contains($"name changed on both sides, {fallback.Name()} (fallback)", conflict.Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task a_contested_column_goes_to_its_owner_and_an_unowned_one_to_the_fallback(int tier)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetAsync(parent, new PolicyChange("members", ConflictPolicy.FieldAuthority, ConflictPolicy.ParentWins, "phone", ColumnOwners.Child));
        await SetAsync(parent, new PolicyChange("members", ConflictPolicy.FieldAuthority, Column: "status", Owner: ColumnOwners.Parent));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(parent, member, "phone", "13800000003");
        await SetColumnAsync(parent, member, "status", "left");
        await Roster.RenameMemberAsync(parent, member, "上级的名字");
        await SetColumnAsync(child, member, "phone", "13900000004");
        await SetColumnAsync(child, member, "status", "transferred");
        await Roster.RenameMemberAsync(child, member, "下级的名字");

        await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "phone", "13900000004");
        await AssertEverywhereAsync(member, "status", "left");
        await AssertEverywhereAsync(member, "name", "上级的名字");
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Equal("field-authority", conflict.Policy);
        Assert.Contains("phone changed on both sides, owned by child: the child's value", conflict.Outcome, StringComparison.Ordinal);
        Assert.Contains("status changed on both sides, owned by parent: the parent's value", conflict.Outcome, StringComparison.Ordinal);
        Assert.Contains("name changed on both sides, parent-wins (fallback)", conflict.Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_source_owned_column_keeps_the_parents_value_when_both_sides_changed_it()
    {
        await SetAsync(_tiers.City, new PolicyChange("members", ConflictPolicy.FieldAuthority, ConflictPolicy.ChildWins, "phone", "social-insurance"));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(_tiers.City, member, "phone", "13800000011");
        await SetColumnAsync(_tiers.District, member, "phone", "13800000012");

        await Harness.SyncAsync(_tiers.City, _tiers.District);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "phone", "13800000011");
        Assert.Contains("owned by social-insurance: the parent's value", Assert.Single(await Harness.ConflictsAsync(_tiers.City)).Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_grandchilds_edit_merges_at_the_city_with_the_citys_edit_of_another_column()
    {
        await SetAsync(_tiers.City, new PolicyChange("members", ConflictPolicy.MergeColumns));
        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(_tiers.City, member, "phone", "13800000005");
        await SetColumnAsync(_tiers.Union, member, "skill_level", 3);

        Assert.Equal(0, (await Harness.SyncAsync(_tiers.District, _tiers.Union)).Conflicts);
        Assert.Equal(1, (await Harness.SyncAsync(_tiers.City, _tiers.District)).Conflicts);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "phone", "13800000005");
        await AssertEverywhereAsync(member, "skill_level", 3L);
        Assert.Contains("the child's skill_level kept", Assert.Single(await Harness.ConflictsAsync(_tiers.City)).Outcome, StringComparison.Ordinal);
        Assert.Empty(await Harness.ConflictsAsync(_tiers.District));
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_second_edit_after_an_accepted_one_merges_against_what_both_sides_hold()
    {
        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(_tiers.Union, member, "skill_level", 2);
        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        await SetColumnAsync(_tiers.District, member, "phone", "13800000006");
        await SetColumnAsync(_tiers.Union, member, "name", "改过两次");

        Assert.Equal(1, (await Harness.SyncAsync(_tiers.District, _tiers.Union)).Conflicts);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "skill_level", 2L);
        await AssertEverywhereAsync(member, "phone", "13800000006");
        await AssertEverywhereAsync(member, "name", "改过两次");
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task a_column_edited_again_after_its_accepted_upload_is_the_childs_alone_and_kept(int tier)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetAsync(parent, new PolicyChange("members", ConflictPolicy.MergeColumns));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(child, member, "skill_level", 1);
        Assert.Equal(0, (await Harness.SyncAsync(parent, child)).Conflicts);
        Assert.Equal(0L, await child.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        await SetColumnAsync(parent, member, "phone", "13800000017");
        await SetColumnAsync(child, member, "skill_level", 2);

        Assert.Equal(1, (await Harness.SyncAsync(parent, child)).Conflicts);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "skill_level", 2L);
        await AssertEverywhereAsync(member, "phone", "13800000017");
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Contains("the child's skill_level kept", conflict.Outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("changed on both sides", conflict.Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_manual_fallback_queues_the_contested_column_and_taking_the_child_keeps_the_merged_columns()
    {
        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns, ConflictPolicy.Manual));
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.District, member, "上级的名字");
        await SetColumnAsync(_tiers.District, member, "phone", "13800000007");
        await Roster.RenameMemberAsync(_tiers.Union, member, "下级的名字");
        await SetColumnAsync(_tiers.Union, member, "skill_level", 1);

        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "name", "上级的名字");
        await AssertEverywhereAsync(member, "skill_level", 1L);
        var queued = Assert.Single(await Harness.ConflictsAsync(_tiers.District));
        Assert.Equal(ConflictStates.Queued, queued.State);
        var childVersion = JsonDocument.Parse(queued.ChildVersion!).RootElement;
        Assert.Equal(("下级的名字", "13800000007"), (childVersion.GetProperty("name").GetString(), childVersion.GetProperty("phone").GetString()));

        await new ConflictDecisions(_tiers.District.Provider).ResolveAsync(queued.Id, ConflictChoice.Child, Token);
        await _tiers.PassAsync();

        await AssertEverywhereAsync(member, "name", "下级的名字");
        await AssertEverywhereAsync(member, "phone", "13800000007");
        await AssertEverywhereAsync(member, "skill_level", 1L);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_child_keeps_no_base_row_of_a_table_its_parent_does_not_merge_and_drops_them_when_the_parent_stops()
    {
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(_tiers.Union, member, "phone", "13800000013");
        Assert.Equal(0L, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));

        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns));
        await SetColumnAsync(_tiers.Union, member, "phone", "13800000014");
        Assert.Equal(1L, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        await SetColumnAsync(_tiers.Union, (await Federation.MembersOfAsync(_tiers.Union, _tiers.UnionScope))[1], "phone", "13800000015");

        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.ParentWins));
        Assert.Equal(0L, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        await SetColumnAsync(_tiers.Union, member, "phone", "13800000016");
        Assert.Equal(0L, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        await _tiers.PassAsync();
        await AssertEverywhereAsync(member, "phone", "13800000016");
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task a_delete_against_an_edit_is_decided_by_the_fallback_not_merged()
    {
        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns, ConflictPolicy.ChildWins));
        var member = await _tiers.MemberAsync();
        await SetColumnAsync(_tiers.District, member, "phone", "13800000008");
        await Roster.DeleteMemberAsync(_tiers.Union, member);

        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        await _tiers.PassAsync();

        foreach (var node in new[] { _tiers.City, _tiers.District, _tiers.Union })
        {
            Assert.Equal(0L, await Roster.CountWhereIdAsync(node, "members", member));
        }

        var conflict = Assert.Single(await Harness.ConflictsAsync(_tiers.District));
        Assert.StartsWith("a delete is not merged by columns, the fallback decides: child wins", conflict.Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task the_base_row_is_kept_from_the_first_local_change_until_the_parents_version_arrives()
    {
        await SetAsync(_tiers.City, new PolicyChange("members", ConflictPolicy.MergeColumns));
        await SetAsync(_tiers.District, new PolicyChange("members", ConflictPolicy.MergeColumns));
        var member = await _tiers.MemberAsync();
        var before = await _tiers.Union.ScalarAsync("SELECT phone FROM members WHERE id = @id", ("@id", _tiers.Union.Id(member)));
        await SetColumnAsync(_tiers.Union, member, "phone", "13800000009");
        await SetColumnAsync(_tiers.Union, member, "phone", "13800000010");

        Assert.Equal(before, await _tiers.Union.ScalarAsync("SELECT phone FROM unionsync_base_members WHERE id = @id", ("@id", _tiers.Union.Id(member))));
        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        Assert.Equal(1L, await _tiers.District.CountAsync("SELECT COUNT(*) FROM unionsync_base_members WHERE id = @id", ("@id", _tiers.District.Id(member))));
        Assert.Equal(before, await _tiers.District.ScalarAsync("SELECT phone FROM unionsync_base_members WHERE id = @id", ("@id", _tiers.District.Id(member))));

        await SetColumnAsync(_tiers.City, member, "name", "市里改的");
        await _tiers.PassAsync();

        Assert.Equal(0L, await _tiers.District.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        Assert.Equal(0L, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_base_members"));
        await _tiers.AssertConvergedAsync();
    }

    /// <summary>Sets a policy, then a pass: a child keeps base rows of a table from the first session that tells it its parent merges it.</summary>
    private async Task SetAsync(TestNode parent, PolicyChange change)
    {
        await parent.Provider.Metadata.SetPolicyAsync(change, Token);
        await _tiers.PassAsync();
    }

    private static Task<int> SetColumnAsync(TestNode node, Guid member, string column, object value) =>
        node.ExecAsync($"UPDATE members SET \"{column}\" = @value WHERE id = @id", ("@value", value), ("@id", node.Id(member)));

    private async Task AssertEverywhereAsync(Guid member, string column, object expected)
    {
        foreach (var node in new[] { _tiers.City, _tiers.District, _tiers.Union })
        {
            var value = await node.ScalarAsync($"SELECT \"{column}\" FROM members WHERE id = @id", ("@id", node.Id(member)));
            Assert.True(Equals(expected, value), $"{node}: members.{column} is {value ?? "NULL"}, expected {expected}");
        }
    }

}
