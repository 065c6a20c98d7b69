using UnionSync.Sync.Engine;
using UnionSync.Sync.Tests.Support;

namespace UnionSync.Sync.Tests;

public sealed class An_interrupted_sync : IAsyncLifetime
{
    private const int Batch = 5;
    private const int NewMembers = 20;

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

    [Theory]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(0, true)]
    [InlineData(7, true)]
    public async Task on_the_way_up_resumes_with_nothing_lost_or_doubled(int commits, bool afterCommit)
    {
        var before = await Roster.CountAsync(_city, "members");
        var beforeCards = await Roster.CountAsync(_city, "service_cards");
        await WriteAtAsync(_district);
        var fault = new Fault { CommitsBeforeFailure = commits, FailAfterCommit = afterCommit };

        await Assert.ThrowsAsync<IOException>(() => SyncAsync(new FaultyProvider(_city.Provider, fault), _district.Provider));
        var resumed = await Harness.SyncAsync(_city, _district, batchSize: Batch);

        Assert.True(fault.Fired);
        Assert.Equal(0, resumed.Conflicts);
        Assert.Equal(before + NewMembers, await Roster.CountAsync(_city, "members"));
        Assert.Equal(beforeCards + NewMembers, await Roster.CountAsync(_city, "service_cards"));
        Assert.Empty(await Harness.ConflictsAsync(_city));
        await Harness.AssertConvergedAsync(_city, _district);
        Assert.Equal(0, (await Harness.SyncAsync(_city, _district)).RowsUp);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public async Task on_the_way_down_resumes_with_nothing_lost_or_doubled(int commits, bool afterCommit)
    {
        var before = await Roster.CountAsync(_district, "members");
        await WriteAtAsync(_city);
        var fault = new Fault { CommitsBeforeFailure = commits, FailAfterCommit = afterCommit };

        await Assert.ThrowsAsync<IOException>(() => SyncAsync(_city.Provider, new FaultyProvider(_district.Provider, fault)));
        var resumed = await Harness.SyncAsync(_city, _district, batchSize: Batch);

        Assert.True(fault.Fired);
        Assert.Equal(0, resumed.Conflicts);
        Assert.Equal(before + NewMembers, await Roster.CountAsync(_district, "members"));
        await Harness.AssertConvergedAsync(_city, _district);
        var again = await Harness.SyncAsync(_city, _district);
        Assert.Equal((0L, 0L), (again.RowsUp, again.RowsDown));
    }

    [Fact]
    public async Task while_reading_the_childs_changes_resumes_with_nothing_lost()
    {
        await WriteAtAsync(_district);
        var fault = new Fault { RowsBeforeFailure = 12 };

        await Assert.ThrowsAsync<IOException>(() => SyncAsync(_city.Provider, new FaultyProvider(_district.Provider, fault)));
        await Harness.SyncAsync(_city, _district, batchSize: Batch);

        Assert.True(fault.Fired);
        await Harness.AssertConvergedAsync(_city, _district);
        Assert.Empty(await Harness.ConflictsAsync(_city));
    }

    [Fact]
    public async Task by_cancellation_after_some_batches_in_both_directions_resumes()
    {
        await WriteAtAsync(_district);
        await WriteAtAsync(_city);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new CancelAfter(cancellation, batches: 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SyncEngine().SyncAsync(
            _city.Provider, _district.Provider, new SyncOptions { BatchSize = Batch }, progress, cancellation.Token));
        using var cancelDown = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SyncEngine().SyncAsync(
            _city.Provider, _district.Provider, new SyncOptions { BatchSize = Batch }, new CancelAfter(cancelDown, batches: 1, SyncPhase.Download), cancelDown.Token));
        var resumed = await Harness.SyncAsync(_city, _district, batchSize: Batch);

        Assert.Equal(0, resumed.Conflicts);
        await Harness.AssertConvergedAsync(_city, _district);
        Assert.Empty(await Harness.ConflictsAsync(_city));
    }

    [Fact]
    public async Task during_the_initial_load_resumes_and_a_database_with_foreign_rows_is_still_refused()
    {
        await using var fresh = TestNode.Sqlite("fresh");
        var member = (await Federation.MembersOfAsync(_city, _grassroots[0]))[0];
        await Roster.RenameMemberAsync(_city, member, "加载前改名");
        var fault = new Fault { CommitsBeforeFailure = 0 };

        await Assert.ThrowsAsync<IOException>(() => new SyncEngine().SyncAsync(
            _city.Provider, new FaultyProvider(fresh.Provider, fault), new SyncOptions { Scope = _scope }, null, TestContext.Current.CancellationToken));
        var resumed = await Harness.SyncAsync(_city, fresh, _scope);
        await Roster.RenameMemberAsync(fresh, member, "加载后改名");
        var later = await Harness.SyncAsync(_city, fresh);

        Assert.True(fault.Fired);
        Assert.True(resumed.InitialLoad);
        Assert.Equal(0, later.Conflicts);
        Assert.Equal("加载后改名", await Roster.MemberNameAsync(_city, member));
        await Harness.AssertConvergedAsync(_city, fresh);

        await using var foreign = TestNode.Sqlite("foreign");
        await Federation.GenerateAsync(foreign, members: 50, seed: 3);
        var error = await Assert.ThrowsAsync<Errors.SyncConfigurationException>(() => Harness.SyncAsync(_city, foreign, _scope));
        Assert.Contains("holds rows", error.Message, StringComparison.Ordinal);
    }

    private static Task<SyncSummary> SyncAsync(Providers.ISyncProvider parent, Providers.ISyncProvider child) =>
        new SyncEngine().SyncAsync(parent, child, new SyncOptions { BatchSize = Batch }, null, TestContext.Current.CancellationToken);

    private async Task WriteAtAsync(TestNode node)
    {
        for (var i = 0; i < NewMembers; i++)
        {
            var member = await Roster.InsertMemberAsync(node, _grassroots[i % _grassroots.Count], $"会员{i}");
            await Roster.IssueCardAsync(node, member);
        }
    }

    private sealed class CancelAfter(CancellationTokenSource source, int batches, SyncPhase? phase = null) : IProgress<SyncProgress>
    {
        private int _seen;

        public void Report(SyncProgress value)
        {
            if ((phase is null || value.Phase == phase) && ++_seen >= batches)
            {
                source.Cancel();
            }
        }
    }
}
