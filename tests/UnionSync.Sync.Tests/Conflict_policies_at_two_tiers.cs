using System.Text.Json;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Every policy, on the city–district edge (tier 0) and on the district–grassroots edge (tier 1) of one three-tier
/// federation on SQLite: which version the row keeps everywhere, what the parent's conflict log says, and that each
/// parent applies its own policies.
/// </summary>
public sealed class Conflict_policies_at_two_tiers : IAsyncLifetime
{
    private readonly ThreeTiers _tiers = new("");

    public ValueTask InitializeAsync() => new(_tiers.InitializeAsync());

    public ValueTask DisposeAsync() => _tiers.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task child_wins_replaces_the_parents_version_everywhere(int tier)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetPolicyAsync(parent, ConflictPolicy.ChildWins);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(parent, member, "上级的名字");
        await Roster.RenameMemberAsync(child, member, "下级的名字");

        var summary = await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        Assert.Equal(1, summary.Conflicts);
        await AssertNameEverywhereAsync(member, "下级的名字");
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Equal(("update-update", "child-wins", ConflictStates.Resolved), (conflict.Kind, conflict.Policy, conflict.State));
        Assert.StartsWith("child wins", conflict.Outcome, StringComparison.Ordinal);
        Assert.Empty(await Harness.ConflictsAsync(tier == 0 ? _tiers.District : _tiers.City));
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1, false)]
    public async Task last_writer_wins_keeps_the_later_edit_by_hybrid_logical_clock(int tier, bool childWritesLast)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetPolicyAsync(parent, ConflictPolicy.LastWriterWins);
        var member = await _tiers.MemberAsync();
        var (first, second) = childWritesLast ? (parent, child) : (child, parent);
        await Roster.RenameMemberAsync(first, member, "先写的");
        await Task.Delay(20, TestContext.Current.CancellationToken);
        await Roster.RenameMemberAsync(second, member, "后写的");

        var summary = await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        Assert.Equal(1, summary.Conflicts);
        await AssertNameEverywhereAsync(member, "后写的");
        var conflict = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Equal("last-writer-wins", conflict.Policy);
        Assert.Contains(childWritesLast ? "the child's version" : "the parent's version", conflict.Outcome, StringComparison.Ordinal);
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task manual_keeps_the_parents_version_queues_the_conflict_and_an_operators_decision_syncs_like_any_change(int tier)
    {
        var (parent, child) = _tiers.Edge(tier);
        await SetPolicyAsync(parent, ConflictPolicy.Manual);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(parent, member, "上级的名字");
        await Roster.RenameMemberAsync(child, member, "下级的名字");

        await Harness.SyncAsync(parent, child);
        await _tiers.PassAsync();

        await AssertNameEverywhereAsync(member, "上级的名字");
        var queued = Assert.Single(await Harness.ConflictsAsync(parent));
        Assert.Equal((ConflictStates.Queued, "manual"), (queued.State, queued.Policy));
        Assert.Equal("下级的名字", JsonDocument.Parse(queued.ChildVersion!).RootElement.GetProperty("name").GetString());

        var decided = await new ConflictDecisions(parent.Provider).ResolveAsync(queued.Id, ConflictChoice.Child, TestContext.Current.CancellationToken);
        Assert.Equal(ConflictStates.Resolved, decided.State);
        await _tiers.PassAsync();

        await AssertNameEverywhereAsync(member, "下级的名字");
        Assert.Equal(ConflictStates.Resolved, Assert.Single(await Harness.ConflictsAsync(parent)).State);
        await Assert.ThrowsAsync<ConflictNotQueuedException>(
            () => new ConflictDecisions(parent.Provider).ResolveAsync(queued.Id, ConflictChoice.Parent, TestContext.Current.CancellationToken));
        Assert.Empty(await Harness.ConflictsAsync(tier == 0 ? _tiers.District : _tiers.City));
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task taking_the_parents_version_of_a_queued_conflict_closes_it_and_changes_no_row()
    {
        await SetPolicyAsync(_tiers.City, ConflictPolicy.Manual);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.City, member, "上级的名字");
        await Roster.RenameMemberAsync(_tiers.District, member, "下级的名字");
        await Harness.SyncAsync(_tiers.City, _tiers.District);
        var queued = Assert.Single(await Harness.ConflictsAsync(_tiers.City));

        await new ConflictDecisions(_tiers.City.Provider).ResolveAsync(queued.Id, ConflictChoice.Parent, TestContext.Current.CancellationToken);
        var again = await Harness.SyncAsync(_tiers.City, _tiers.District);

        Assert.Equal((0L, 0L), (again.RowsUp, again.RowsDown));
        Assert.Equal(ConflictStates.Resolved, Assert.Single(await Harness.ConflictsAsync(_tiers.City)).State);
        Assert.Equal("上级的名字", await Roster.MemberNameAsync(_tiers.City, member));
        Assert.Equal("上级的名字", await Roster.MemberNameAsync(_tiers.District, member));
    }

    [Theory]
    [InlineData(ConflictPolicy.ChildWins, true)]
    [InlineData(ConflictPolicy.ParentWins, false)]
    [InlineData(ConflictPolicy.Manual, false)]
    public async Task a_row_edited_at_the_child_and_deleted_at_the_parent_follows_the_policy(ConflictPolicy policy, bool rowSurvives)
    {
        await SetPolicyAsync(_tiers.District, policy);
        var member = await _tiers.MemberAsync();
        await Roster.DeleteMemberAsync(_tiers.District, member);
        await Roster.RenameMemberAsync(_tiers.Union, member, "已删除仍编辑");

        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        await _tiers.PassAsync();

        var expected = rowSurvives ? 1 : 0;
        Assert.Equal([expected, expected, expected], await CountEverywhereAsync(member));
        var conflict = Assert.Single(await Harness.ConflictsAsync(_tiers.District));
        Assert.Equal(("update-delete", policy.Name()), (conflict.Kind, conflict.Policy));
        await _tiers.AssertConvergedAsync();
    }

    [Theory]
    [InlineData(ConflictPolicy.ChildWins, false)]
    [InlineData(ConflictPolicy.ParentWins, true)]
    public async Task a_row_deleted_at_the_child_and_edited_at_the_parent_follows_the_policy(ConflictPolicy policy, bool rowSurvives)
    {
        await SetPolicyAsync(_tiers.District, policy);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.District, member, "上级改名");
        await Roster.DeleteMemberAsync(_tiers.Union, member);

        await Harness.SyncAsync(_tiers.District, _tiers.Union);
        await _tiers.PassAsync();

        var expected = rowSurvives ? 1 : 0;
        Assert.Equal([expected, expected, expected], await CountEverywhereAsync(member));
        Assert.Equal("delete-update", Assert.Single(await Harness.ConflictsAsync(_tiers.District)).Kind);
        await _tiers.AssertConvergedAsync();
    }

    [Fact]
    public async Task each_parent_applies_its_own_policies()
    {
        await SetPolicyAsync(_tiers.District, ConflictPolicy.ChildWins);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.City, member, "市级");
        await Roster.RenameMemberAsync(_tiers.District, member, "区级");

        await Harness.SyncAsync(_tiers.City, _tiers.District);

        Assert.Equal("市级", await Roster.MemberNameAsync(_tiers.District, member));
        Assert.Equal("parent-wins", Assert.Single(await Harness.ConflictsAsync(_tiers.City)).Policy);
        var policies = await _tiers.District.Provider.Metadata.GetPoliciesAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ConflictPolicy.ChildWins, policies.For("members").Policy);
        Assert.Equal(ConflictPolicy.ParentWins, policies.For("service_cards").Policy);
    }

    [Fact]
    public async Task a_child_edit_made_while_its_session_runs_is_not_overwritten_but_decided_by_the_policy_next_session()
    {
        await SetPolicyAsync(_tiers.District, ConflictPolicy.ChildWins);
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.District, member, "上级改名");
        var child = new FaultyProvider(_tiers.Union.Provider, new Fault { BeforeFirstTransaction = () => Roster.RenameMemberAsync(_tiers.Union, member, "同步中改名") });

        await new SyncEngine().SyncAsync(_tiers.District.Provider, child, new SyncOptions(), null, TestContext.Current.CancellationToken);
        Assert.Equal("同步中改名", await Roster.MemberNameAsync(_tiers.Union, member));
        await Harness.SyncAsync(_tiers.District, _tiers.Union);

        Assert.Equal("同步中改名", await Roster.MemberNameAsync(_tiers.District, member));
        Assert.Equal("update-update", Assert.Single(await Harness.ConflictsAsync(_tiers.District)).Kind);
        await Harness.AssertConvergedAsync(_tiers.District, _tiers.Union);
    }

    /// <summary>
    /// DESIGN §4.3: the grassroots node's clock (its triggers' wall clock, and the clock the engine sees while it syncs)
    /// is days off. An edit it makes after receiving the district's is later by logical order whatever its clock says:
    /// it wins, with no conflict at all. Edits made concurrently are ordered by their hybrid logical clocks — the same
    /// answer at every node — and the loser is in the log.
    /// </summary>
    [Theory]
    [InlineData(-3)]
    [InlineData(3)]
    public async Task a_clock_days_wrong_changes_nothing_decided_by_logical_order(int days)
    {
        await SetPolicyAsync(_tiers.District, ConflictPolicy.LastWriterWins);
        await _tiers.Union.ExecAsync($"UPDATE unionsync_node SET clock_offset_ms = {TimeSpan.FromDays(days).TotalMilliseconds}");
        var skewed = new SyncOptions { TimeProvider = new SkewedClock(TimeSpan.FromDays(days)) };
        var engine = new SyncEngine();
        var member = await _tiers.MemberAsync();

        await Roster.RenameMemberAsync(_tiers.District, member, "区里先改");
        await engine.SyncAsync(_tiers.District.Provider, _tiers.Union.Provider, skewed, null, TestContext.Current.CancellationToken);
        await Roster.RenameMemberAsync(_tiers.Union, member, "基层后改");
        var causal = await engine.SyncAsync(_tiers.District.Provider, _tiers.Union.Provider, skewed, null, TestContext.Current.CancellationToken);

        Assert.Equal(0, causal.Conflicts);
        Assert.Equal("基层后改", await Roster.MemberNameAsync(_tiers.District, member));

        await Roster.RenameMemberAsync(_tiers.District, member, "区里并发");
        await Roster.RenameMemberAsync(_tiers.Union, member, "基层并发");
        var concurrent = await engine.SyncAsync(_tiers.District.Provider, _tiers.Union.Provider, skewed, null, TestContext.Current.CancellationToken);
        await engine.SyncAsync(_tiers.District.Provider, _tiers.Union.Provider, skewed, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, concurrent.Conflicts);
        var conflict = Assert.Single(await Harness.ConflictsAsync(_tiers.District));
        var childLater = Identities.CompareByClock(conflict.ChildIdentity, conflict.ParentIdentity) > 0;
        var winner = childLater ? "基层并发" : "区里并发";
        Assert.Equal(winner, await Roster.MemberNameAsync(_tiers.District, member));
        Assert.Equal(winner, await Roster.MemberNameAsync(_tiers.Union, member));
        Assert.Equal(days > 0, childLater);
        await Harness.AssertConvergedAsync(_tiers.District, _tiers.Union);
    }

    [Fact]
    public async Task a_database_whose_sync_metadata_is_newer_is_refused_with_both_versions_named()
    {
        await _tiers.Union.ExecAsync("UPDATE unionsync_node SET schema_version = 99");

        var error = await Assert.ThrowsAsync<VersionMismatchException>(() => Harness.SyncAsync(_tiers.District, _tiers.Union));

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
        Assert.Contains(Providers.SyncMetadataVersion.Current.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("child", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_peer_that_last_spoke_a_newer_protocol_is_refused_with_both_versions_named()
    {
        await _tiers.District.ExecAsync("UPDATE unionsync_peers SET protocol_version = 7 WHERE role = 'child'");

        var error = await Assert.ThrowsAsync<VersionMismatchException>(() => Harness.SyncAsync(_tiers.District, _tiers.Union));

        Assert.Contains("protocol version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {SyncProtocol.Version}", error.Message, StringComparison.Ordinal);
        await _tiers.District.ExecAsync($"UPDATE unionsync_peers SET protocol_version = {SyncProtocol.Version}");
        await Harness.SyncAsync(_tiers.District, _tiers.Union);
    }

    [Fact]
    public async Task an_older_metadata_schema_is_upgraded_in_place_and_keeps_syncing()
    {
        await _tiers.Union.ExecAsync("UPDATE unionsync_node SET schema_version = 1");
        await _tiers.Union.ExecAsync("DROP TABLE unionsync_policies");
        var member = await _tiers.MemberAsync();
        await Roster.RenameMemberAsync(_tiers.Union, member, "升级后");

        await Harness.SyncAsync(_tiers.District, _tiers.Union);

        Assert.Equal((long)Providers.SyncMetadataVersion.Current, await _tiers.Union.CountAsync("SELECT schema_version FROM unionsync_node"));
        Assert.Equal(0, await _tiers.Union.CountAsync("SELECT COUNT(*) FROM unionsync_policies"));
        Assert.Equal("升级后", await Roster.MemberNameAsync(_tiers.District, member));
    }

    private static Task SetPolicyAsync(TestNode parent, ConflictPolicy policy) =>
        parent.Provider.Metadata.SetPolicyAsync("members", policy, TestContext.Current.CancellationToken);

    private async Task AssertNameEverywhereAsync(Guid member, string name)
    {
        Assert.Equal(name, await Roster.MemberNameAsync(_tiers.City, member));
        Assert.Equal(name, await Roster.MemberNameAsync(_tiers.District, member));
        Assert.Equal(name, await Roster.MemberNameAsync(_tiers.Union, member));
    }

    private async Task<long[]> CountEverywhereAsync(Guid member) =>
    [
        await Roster.CountWhereIdAsync(_tiers.City, "members", member),
        await Roster.CountWhereIdAsync(_tiers.District, "members", member),
        await Roster.CountWhereIdAsync(_tiers.Union, "members", member),
    ];

    /// <summary>The wall clock moved by a fixed offset: what the engine sees on a node whose clock is wrong.</summary>
    private sealed class SkewedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
