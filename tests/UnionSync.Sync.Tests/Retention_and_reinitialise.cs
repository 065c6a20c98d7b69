using UnionSync.Providers.Postgres;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing.Postgres;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Retention (DESIGN §4.6, docs/sync-engine.md §9): tombstones older than the window that every active child has received
/// are purged, the rest stay, a live row's tracking never goes; a child away longer than the window is refused and, when
/// reinitialised, loses nothing it wrote offline. Each scenario runs on SQLite and on PostgreSQL; the clock is moved by hand.
/// </summary>
public sealed class Retention_and_reinitialise(PostgresServerFixture server) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private static readonly SyncEngine Engine = new();

    private readonly TestClock _clock = new();
    private readonly List<TestNode> _nodes = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].DisposeAsync();
        }
    }

    [Fact]
    public Task old_received_tombstones_are_purged_young_ones_and_live_rows_tracking_stay_on_sqlite() => OldReceivedTombstonesArePurgedAsync("sqlite");

    [Fact]
    [Trait("db", "postgres")]
    public Task old_received_tombstones_are_purged_young_ones_and_live_rows_tracking_stay_on_postgres() => OldReceivedTombstonesArePurgedAsync("postgres");

    [Fact]
    public Task a_tombstone_an_active_child_has_not_received_stays_on_sqlite() => UnreceivedTombstoneStaysAsync("sqlite");

    [Fact]
    [Trait("db", "postgres")]
    public Task a_tombstone_an_active_child_has_not_received_stays_on_postgres() => UnreceivedTombstoneStaysAsync("postgres");

    [Fact]
    public Task a_child_away_longer_than_the_window_is_refused_and_reinitialising_keeps_its_offline_edits_on_sqlite() =>
        AwayChildReinitialisesAsync("sqlite");

    [Fact]
    [Trait("db", "postgres")]
    public Task a_child_away_longer_than_the_window_is_refused_and_reinitialising_keeps_its_offline_edits_on_postgres() =>
        AwayChildReinitialisesAsync("postgres");

    [Fact]
    public Task a_purge_never_goes_past_what_a_child_admitted_meanwhile_has_received_on_sqlite() => AdmittedChildHoldsThePurgeAsync("sqlite");

    [Fact]
    [Trait("db", "postgres")]
    public Task a_purge_never_goes_past_what_a_child_admitted_meanwhile_has_received_on_postgres() => AdmittedChildHoldsThePurgeAsync("postgres");

    [Fact]
    public async Task an_interrupted_reinitialise_is_refused_until_it_is_run_again_and_nothing_is_lost()
    {
        var (city, active, away, awayScope) = await AwayChildBehindTheFloorAsync("sqlite");
        var (renamed, added) = await WriteOfflineAsync(away, awayScope);
        await PurgeAsync(city);

        var broken = new FaultyProvider(away.Provider, new Fault { CommitsBeforeFailure = 0 });
        await Assert.ThrowsAsync<IOException>(() => Engine.SyncAsync(city.Provider, broken, Options(reinitialise: true), null, Token));
        var refused = await Assert.ThrowsAsync<ReinitialiseRequiredException>(() => SyncAsync(city, away));
        var summary = await SyncAsync(city, away, reinitialise: true);

        Assert.True(refused.Checkpoint < 0, $"checkpoint {refused.Checkpoint}");
        Assert.Contains("did not finish", refused.Message, StringComparison.Ordinal);
        Assert.True(summary.InitialLoad);
        Assert.Equal("离线改名", await Roster.MemberNameAsync(city, renamed));
        Assert.Equal("离线改名", await Roster.MemberNameAsync(away, renamed));
        Assert.Equal(1, await Roster.CountWhereIdAsync(away, "members", added));
        await Harness.AssertConvergedAsync(city, away);
        await Harness.AssertConvergedAsync(city, active);
    }

    [Fact]
    public async Task a_tombstone_not_yet_sent_up_to_the_nodes_own_parent_stays_and_goes_once_sent()
    {
        var city = await CityAsync("sqlite");
        var district = await NodeAsync("sqlite", "r-district");
        var grassroots = await NodeAsync("sqlite", "r-grassroots");
        var districtScope = (await Federation.DistrictsAsync(city))[0];
        var unionScope = (await Federation.GrassrootsUnderAsync(city, districtScope))[0];
        await SyncAsync(city, district, districtScope);
        await SyncAsync(district, grassroots, unionScope);
        var deleted = (await Federation.MembersOfAsync(district, unionScope))[0];
        await Roster.DeleteMemberAsync(district, deleted);
        await SyncUntilMarkedAsync(district, grassroots, deleted);
        _clock.Advance(TimeSpan.FromDays(40));

        var unsent = await PurgeAsync(district);
        var kept = await TrackingRowsAsync(district, deleted);
        await SyncAsync(city, district);
        var sent = await PurgeAsync(district);

        Assert.Equal(1, unsent.ChildrenAway);
        Assert.Equal(1, kept);
        Assert.Equal(0, await Roster.CountWhereIdAsync(city, "members", deleted));
        Assert.True(sent.Tombstones >= 1, $"tombstones purged once sent: {sent.Tombstones}");
        Assert.Equal(0, await TrackingRowsAsync(district, deleted));

        // The grassroots node below received that delete before the purge: away as it was, it syncs on.
        await SyncAsync(district, grassroots);
        Assert.Equal(0, await Roster.CountWhereIdAsync(grassroots, "members", deleted));
        await Harness.AssertConvergedAsync(district, grassroots);
    }

    /// <summary>
    /// The race a purge must not lose: the purger decided its floor while the child looked away, and the child's session
    /// was admitted before the purge's transaction. The purge reads the children again inside its transaction.
    /// </summary>
    private async Task AdmittedChildHoldsThePurgeAsync(string provider)
    {
        var city = await CityAsync(provider);
        var child = await NodeAsync("sqlite", "r-admitted");
        var scope = (await Federation.DistrictsAsync(city))[0];
        await SyncAsync(city, child, scope);
        var childNode = await child.Provider.Tracking.GetNodeIdAsync(Token);
        var acknowledged = (await city.Provider.Metadata.GetPeerAsync(childNode, Token))!.SentWatermark;
        var deleted = (await Federation.MembersOfAsync(city, (await Federation.GrassrootsUnderAsync(city, scope))[0]))[0];
        await Roster.DeleteMemberAsync(city, deleted);
        _clock.Advance(TimeSpan.FromDays(40));
        var now = _clock.GetUtcNow();

        var floor = await city.Provider.Retention.AdmitAsync(childNode, acknowledged, now, Token);
        var counts = await city.Provider.Retention.PurgeAsync(long.MaxValue / 2, now - Window, now, Token);

        Assert.Equal(0, floor);
        Assert.Equal(acknowledged, counts.Floor);
        Assert.Equal(1, await TrackingRowsAsync(city, deleted));
        Assert.Equal(0, (await SyncAsync(city, child)).Conflicts);
        Assert.Equal(0, await Roster.CountWhereIdAsync(child, "members", deleted));
    }

    [Fact]
    public async Task a_node_that_serves_no_children_purges_the_tombstones_it_has_sent_up()
    {
        var city = await CityAsync("sqlite");
        var laptop = await NodeAsync("sqlite", "r-laptop");
        var scope = (await Federation.GrassrootsUnderAsync(city, (await Federation.DistrictsAsync(city))[0]))[0];
        await SyncAsync(city, laptop, scope);
        var deleted = (await Federation.MembersOfAsync(laptop, scope))[0];
        await Roster.DeleteMemberAsync(laptop, deleted);
        var early = await PurgeAsync(laptop);
        await SyncAsync(city, laptop);
        _clock.Advance(TimeSpan.FromDays(40));

        var purge = await PurgeAsync(laptop);

        Assert.Equal(0, early.Tombstones);
        Assert.True(purge.Tombstones >= 1, $"tombstones purged: {purge.Tombstones}");
        Assert.Equal(0, await TrackingRowsAsync(laptop, deleted));
        Assert.Equal(0, await Roster.CountWhereIdAsync(city, "members", deleted));
        Assert.Equal((0L, 0L), await SyncAsync(city, laptop) is { } again ? (again.RowsUp, again.Conflicts) : default);
        await Harness.AssertConvergedAsync(city, laptop);
    }

    private async Task OldReceivedTombstonesArePurgedAsync(string provider)
    {
        var city = await CityAsync(provider);
        var first = await NodeAsync(provider, "r-first");
        var second = await NodeAsync("sqlite", "r-second");
        var districts = await Federation.DistrictsAsync(city);
        await SyncAsync(city, first, districts[0]);
        await SyncAsync(city, second, districts[1]);
        var members = await Federation.MembersOfAsync(city, (await Federation.GrassrootsUnderAsync(city, districts[0]))[0]);
        var (old, live, young) = (members[0], members[1], members[2]);
        await Roster.DeleteMemberAsync(city, old);
        await Roster.RenameMemberAsync(city, live, "很早以前改的");
        await SyncUntilMarkedAsync(city, first, old);
        await SyncAsync(city, second);
        _clock.Advance(TimeSpan.FromDays(20));
        await Roster.DeleteMemberAsync(city, young);
        await SyncAsync(city, first);
        await SyncAsync(city, second);
        _clock.Advance(TimeSpan.FromDays(15));

        var purge = await PurgeAsync(city);

        Assert.True(purge.Tombstones >= 1, $"tombstones purged: {purge.Tombstones}");
        Assert.True(purge.Floor > purge.PreviousFloor, $"floor {purge.PreviousFloor} -> {purge.Floor}");
        Assert.Equal((2, 0), (purge.ActiveChildren, purge.ChildrenAway));
        Assert.Equal(0, await TrackingRowsAsync(city, old));
        Assert.Equal(1, await TrackingRowsAsync(city, young));
        Assert.Equal(1, await TrackingRowsAsync(city, live));
        Assert.Equal(purge.Floor, await city.Provider.Retention.GetPurgeFloorAsync(Token));

        // The children sync on; an edit of the row both sides agreed on long ago is no conflict (DESIGN §7, spurious conflicts).
        await Roster.RenameMemberAsync(first, live, "子节点后来改的");
        var after = await SyncAsync(city, first);
        Assert.Equal(0, after.Conflicts);
        Assert.Equal("子节点后来改的", await Roster.MemberNameAsync(city, live));
        Assert.Equal(0, (await SyncAsync(city, second)).Conflicts);
        await Harness.AssertConvergedAsync(city, first);
        await Harness.AssertConvergedAsync(city, second);
    }

    private async Task UnreceivedTombstoneStaysAsync(string provider)
    {
        var city = await CityAsync(provider);
        var behind = await NodeAsync(provider, "r-behind");
        var other = await NodeAsync("sqlite", "r-other");
        var districts = await Federation.DistrictsAsync(city);
        await SyncAsync(city, behind, districts[0]);
        await SyncAsync(city, other, districts[1]);
        var deleted = (await Federation.MembersOfAsync(city, (await Federation.GrassrootsUnderAsync(city, districts[0]))[0]))[0];
        await Roster.DeleteMemberAsync(city, deleted);
        await SyncUntilMarkedAsync(city, other, deleted);
        _clock.Advance(TimeSpan.FromDays(25));
        var dropped = new FaultyProvider(city.Provider, new Fault { RowsBeforeFailure = 0 });
        await Assert.ThrowsAsync<IOException>(() => Engine.SyncAsync(dropped, behind.Provider, Options(), null, Token));
        _clock.Advance(TimeSpan.FromDays(10));

        var purge = await PurgeAsync(city);

        Assert.Equal((1, 1), (purge.ActiveChildren, purge.ChildrenAway));
        Assert.Equal(1, await TrackingRowsAsync(city, deleted));
        Assert.Equal(1, await Roster.CountWhereIdAsync(behind, "members", deleted));
        await SyncAsync(city, behind);
        Assert.Equal(0, await Roster.CountWhereIdAsync(behind, "members", deleted));
        await Harness.AssertConvergedAsync(city, behind);
    }

    private async Task AwayChildReinitialisesAsync(string provider)
    {
        var (city, active, away, awayScope) = await AwayChildBehindTheFloorAsync(provider);
        var awayNode = await away.Provider.Tracking.GetNodeIdAsync(Token);
        var (renamed, added) = await WriteOfflineAsync(away, awayScope);
        var purge = await PurgeAsync(city);

        var refused = await Assert.ThrowsAsync<ReinitialiseRequiredException>(() => SyncAsync(city, away));

        Assert.True(purge.Tombstones >= 2, $"tombstones purged: {purge.Tombstones}");
        Assert.Equal((1, 1), (purge.ActiveChildren, purge.ChildrenAway));
        Assert.Equal(awayNode, refused.ChildNode);
        Assert.Equal(purge.Floor, refused.PurgeFloor);
        Assert.True(refused.Checkpoint < refused.PurgeFloor);
        Assert.Contains("--reinitialise", refused.Message, StringComparison.Ordinal);
        Assert.NotEqual("离线改名", await Roster.MemberNameAsync(city, renamed));

        var summary = await SyncAsync(city, away, reinitialise: true);

        Assert.True(summary.InitialLoad);
        Assert.True(summary.RowsUp >= 3, $"rows up {summary.RowsUp}");
        Assert.Equal("离线改名", await Roster.MemberNameAsync(city, renamed));
        Assert.Equal(1, await Roster.CountWhereIdAsync(city, "members", added));
        Assert.Equal("离线改名", await Roster.MemberNameAsync(away, renamed));
        Assert.Equal(1, await Roster.CountWhereIdAsync(away, "members", added));
        Assert.Equal(awayNode, await away.Provider.Tracking.GetNodeIdAsync(Token));
        Assert.True(await away.Provider.Retention.GetPurgeFloorAsync(Token) > 0, "the reinitialised node's own children must reinitialise too");
        await Harness.AssertConvergedAsync(city, away);
        await Harness.AssertForeignKeysHoldAsync(away);

        await Roster.RenameMemberAsync(away, renamed, "之后又改");
        var again = await SyncAsync(city, away);
        Assert.Equal((0L, 1L), (again.Conflicts, again.RowsUp));
        Assert.Equal("之后又改", await Roster.MemberNameAsync(city, renamed));
        await Harness.AssertConvergedAsync(city, away);
        await Harness.AssertConvergedAsync(city, active);
    }

    /// <summary>
    /// A city with two districts loaded at day 0; a delete in each district's scope at the city; the first district syncs
    /// at day 0 and day 20, the second never again. At day 35 a purge with a 30-day window puts the floor above the second's checkpoint.
    /// </summary>
    private async Task<(TestNode City, TestNode Active, TestNode Away, Guid AwayScope)> AwayChildBehindTheFloorAsync(string provider)
    {
        var city = await CityAsync(provider);
        var active = await NodeAsync("sqlite", "r-active");
        var away = await NodeAsync(provider, "r-away");
        var districts = await Federation.DistrictsAsync(city);
        await SyncAsync(city, active, districts[0]);
        await SyncAsync(city, away, districts[1]);
        var inActive = (await Federation.MembersOfAsync(city, (await Federation.GrassrootsUnderAsync(city, districts[0]))[0]))[0];
        var inAway = (await Federation.MembersOfAsync(city, (await Federation.GrassrootsUnderAsync(city, districts[1]))[0]))[^1];
        await Roster.DeleteMemberAsync(city, inActive);
        await Roster.DeleteMemberAsync(city, inAway);
        await SyncUntilMarkedAsync(city, active, inAway);
        _clock.Advance(TimeSpan.FromDays(20));
        await SyncAsync(city, active);
        _clock.Advance(TimeSpan.FromDays(15));
        return (city, active, away, districts[1]);
    }

    /// <summary>Offline at a child: a rename and a new member with a card.</summary>
    private static async Task<(Guid Renamed, Guid Added)> WriteOfflineAsync(TestNode child, Guid scope)
    {
        var union = (await Federation.GrassrootsUnderAsync(child, scope))[0];
        var renamed = (await Federation.MembersOfAsync(child, union))[0];
        await Roster.RenameMemberAsync(child, renamed, "离线改名");
        var added = await Roster.InsertMemberAsync(child, union, "离线新会员");
        await Roster.IssueCardAsync(child, added);
        return (renamed, added);
    }

    /// <summary>
    /// Syncs until the parent's newest mark covers the change of <paramref name="key"/>. On PostgreSQL a transaction open
    /// elsewhere on the server holds a snapshot's xmin below a change just committed (the watermark race, DESIGN §7), so
    /// one session's mark may not cover it yet; SQLite's always does.
    /// </summary>
    private async Task SyncUntilMarkedAsync(TestNode parent, TestNode child, Guid key)
    {
        var covered = parent.TextUuids
            ? "SELECT COUNT(*) FROM unionsync_tracking t WHERE t.id = @id AND t.version <= (SELECT MAX(watermark) FROM unionsync_watermark_marks)"
            : "SELECT COUNT(*) FROM unionsync_tracking t WHERE t.id = @id AND t.txid::text::bigint < (SELECT MAX(watermark) FROM unionsync_watermark_marks)";
        for (var attempt = 1; ; attempt++)
        {
            await SyncAsync(parent, child);
            if (await parent.CountAsync(covered, ("@id", parent.Id(key))) == 1)
            {
                return;
            }

            Assert.True(attempt < 100, $"no mark at {parent} covered the change of {key} after {attempt} sessions");
            await Task.Delay(50, Token);
        }
    }

    private async Task<TestNode> CityAsync(string provider)
    {
        var city = await NodeAsync(provider, "r-city");
        await Federation.GenerateAsync(city);
        return city;
    }

    private async Task<TestNode> NodeAsync(string provider, string name)
    {
        TestNode node;
        if (provider == "postgres")
        {
            server.EnsureAvailable();
            var connectionString = await server.CreateDatabaseAsync(Token);
            node = TestNode.Postgres(name, new PostgresProviderFactory(_clock).Create(connectionString));
        }
        else
        {
            node = TestNode.Sqlite(name, _clock);
        }

        _nodes.Add(node);
        return node;
    }

    private SyncOptions Options(Guid? scope = null, bool reinitialise = false) =>
        new() { Scope = scope, TimeProvider = _clock, Reinitialise = reinitialise, BatchSize = 64 };

    private Task<SyncSummary> SyncAsync(TestNode parent, TestNode child, Guid? scope = null, bool reinitialise = false) =>
        Engine.SyncAsync(parent.Provider, child.Provider, Options(scope, reinitialise), null, Token);

    private Task<PurgeSummary> PurgeAsync(TestNode node) =>
        new RetentionPurger().PurgeAsync(node.Provider, new RetentionOptions { Window = Window, TimeProvider = _clock }, Token);

    private static async Task<long> TrackingRowsAsync(TestNode node, Guid key)
    {
        await node.SettleAsync();
        return await node.CountAsync("SELECT COUNT(*) FROM unionsync_tracking WHERE id = @id", ("@id", node.Id(key)));
    }
}
