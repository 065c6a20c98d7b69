using System.Data.Common;
using System.Globalization;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// The origin version of every local write is a hybrid logical clock value (the last writer wins policy compares them):
/// <c>(wall_ms + clock_offset_ms) &lt;&lt; 16</c> plus a logical part, above the node's HLC floor, strictly increasing per
/// row, and above every origin version the node has received. Every provider must pass these; a provider plugs in with a
/// small subclass, as for <see cref="ProviderConformanceTests"/>:
/// <list type="bullet">
/// <item><see cref="CreateProviderAsync"/>: a sync provider on a NEW, EMPTY database, disposed by the test;</item>
/// <item><see cref="Key"/>: a key as a parameter of the provider's raw SQL;</item>
/// <item><see cref="Version1Sql"/>: statements that turn a provisioned node back into one that metadata version 1 provisioned;</item>
/// <item><see cref="EnsureAvailable"/> (optional): skips the test when the provider's server is missing.</item>
/// </list>
/// </summary>
public abstract class HybridLogicalClockTests
{
    /// <summary>How far the database's clock may be from this process's when both are read around a write.</summary>
    private const long ToleranceMs = 2_000;

    private static readonly long ThreeDaysMs = (long)TimeSpan.FromDays(3).TotalMilliseconds;

    private static readonly Guid Peer = Guid.Parse("0190f5a2-0000-7000-8000-0000000c10c0");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A sync provider on a new, empty database.</summary>
    protected abstract Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken);

    /// <summary>A key as a parameter value of raw SQL against this provider (SQLite stores UUIDs as text).</summary>
    protected abstract object Key(Guid id);

    /// <summary>
    /// Run one by one on a provisioned node: make it look as metadata version 1 left it (no <c>clock_offset_ms</c>, no HLC
    /// floor column where the provider adds one, <c>schema_version</c> 1) with a member update capture of version 1, which
    /// stamps plain counter values.
    /// </summary>
    protected abstract IEnumerable<string> Version1Sql { get; }

    /// <summary>Calls <c>Assert.Skip</c> when the provider cannot run here; does nothing by default.</summary>
    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task A_local_write_is_stamped_with_the_wall_clock_plus_the_node_offset()
    {
        await using var provider = await ProvisionedAsync();

        foreach (var (member, offset) in new[] { (SampleRows.MemberA, -ThreeDaysMs), (SampleRows.MemberB, 0L), (SampleRows.MemberC, ThreeDaysMs) })
        {
            await SetClockOffsetAsync(provider, offset);
            var before = NowMs();
            await RenameAsync(provider, member, "offset " + offset.ToString(CultureInfo.InvariantCulture));
            var after = NowMs();

            var origin = await OriginAsync(provider, member);
            Assert.Equal(await provider.Tracking.GetNodeIdAsync(Token), origin.Node);
            var physical = origin.Version >> 16;
            Assert.InRange(physical, before + offset - ToleranceMs, after + offset + ToleranceMs);
        }
    }

    [Fact]
    public async Task Successive_writes_of_a_row_get_strictly_increasing_versions_even_when_the_clock_steps_back()
    {
        await using var provider = await ProvisionedAsync();
        await SetClockOffsetAsync(provider, ThreeDaysMs);
        await RenameAsync(provider, SampleRows.MemberA, "ahead");
        var versions = new List<long> { (await OriginAsync(provider, SampleRows.MemberA)).Version };

        // Corrected by six days: the wall part of the clock goes back, the row's versions must not. The writes that follow
        // mostly fall in one millisecond, where only the logical part can tell them apart.
        await SetClockOffsetAsync(provider, -ThreeDaysMs);
        for (var i = 0; i < 20; i++)
        {
            await RenameAsync(provider, SampleRows.MemberA, "write " + i.ToString(CultureInfo.InvariantCulture));
            versions.Add((await OriginAsync(provider, SampleRows.MemberA)).Version);
        }

        AssertStrictlyIncreasing(versions);
    }

    [Fact]
    public async Task Writes_of_a_row_from_two_connections_get_strictly_increasing_versions()
    {
        await using var provider = await ProvisionedAsync();

        // A version received from far ahead lifts the floor above the wall clock: the clock part stands still, and only the
        // logical part (on PostgreSQL and SQL Server a sequence that each session caches by the thousand) moves.
        var future = (NowMs() + (long)TimeSpan.FromDays(5).TotalMilliseconds) << 16;
        await ApplyAsync(provider, SampleRows.MemberC, new VersionIdentity(Peer, future), fromChild: false);

        await using var first = await provider.DataSource.OpenConnectionAsync(Token);
        await using var second = await provider.DataSource.OpenConnectionAsync(Token);
        var versions = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            await RenameAsync(i % 2 == 0 ? first : second, SampleRows.MemberA, "connection write " + i.ToString(CultureInfo.InvariantCulture));
            versions.Add((await OriginAsync(provider, SampleRows.MemberA)).Version);
        }

        AssertStrictlyIncreasing(versions);
        Assert.True(versions[0] > future, $"the first write ({versions[0]}) is not above the version received ({future})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_local_write_after_receiving_a_version_from_the_future_is_larger_than_it(bool fromChild)
    {
        await using var provider = await ProvisionedAsync();
        var node = await provider.Tracking.GetNodeIdAsync(Token);
        var future = (NowMs() + (long)TimeSpan.FromDays(5).TotalMilliseconds) << 16;

        await ApplyAsync(provider, SampleRows.MemberB, new VersionIdentity(Peer, future), fromChild);
        Assert.Equal(new VersionIdentity(Peer, future), await OriginAsync(provider, SampleRows.MemberB));

        // Another row, never received: its write still comes after the received version, whatever this node's clock says.
        await RenameAsync(provider, SampleRows.MemberA, "after the future");
        var other = await OriginAsync(provider, SampleRows.MemberA);
        Assert.Equal(node, other.Node);
        Assert.True(other.Version > future, $"a write of another row ({other.Version}) is not above the version received ({future})");

        // The received row itself: this node's edit of it is newer than what it received.
        await RenameAsync(provider, SampleRows.MemberB, "edited after the future");
        var edited = await OriginAsync(provider, SampleRows.MemberB);
        Assert.Equal(node, edited.Node);
        Assert.True(edited.Version > future, $"the edit of the received row ({edited.Version}) is not above the version received ({future})");
    }

    [Fact]
    public async Task Versions_the_engine_takes_as_its_own_are_distinct_and_below_every_later_local_write()
    {
        await using var provider = await ProvisionedAsync();

        // The wall clock three days behind and a version received from five days ahead: only the floor and the logical
        // part can tell the versions apart, within one transaction and across two.
        await SetClockOffsetAsync(provider, -ThreeDaysMs);
        var future = (NowMs() + (long)TimeSpan.FromDays(5).TotalMilliseconds) << 16;
        await ApplyAsync(provider, SampleRows.MemberC, new VersionIdentity(Peer, future), fromChild: false);

        var versions = new List<long>();
        for (var transaction = 0; transaction < 2; transaction++)
        {
            await using var apply = await provider.Applier.BeginAsync(Token);
            for (var i = 0; i < 10; i++)
            {
                versions.Add(await apply.NextOwnVersionAsync(0, Token));
            }

            await apply.CommitAsync(Token);
        }

        AssertStrictlyIncreasing(versions);
        Assert.True(versions[0] > future, $"the first version taken ({versions[0]}) is not above the version received ({future})");

        // Above the version asked for, however far ahead it is.
        var ahead = versions[^1] + ((long)TimeSpan.FromDays(1).TotalMilliseconds << 16);
        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            versions.Add(await apply.NextOwnVersionAsync(ahead, Token));
            await apply.CommitAsync(Token);
        }

        Assert.True(versions[^1] > ahead, $"the version taken ({versions[^1]}) is not above the one asked for ({ahead})");

        // A local write afterwards, of a row never touched, is later than every version taken.
        await RenameAsync(provider, SampleRows.MemberA, "after the engine's own versions");
        var local = await OriginAsync(provider, SampleRows.MemberA);
        Assert.True(local.Version > versions[^1], $"a local write ({local.Version}) is not above the versions the engine took ({versions[^1]})");
    }

    [Fact]
    public async Task Two_transactions_taking_versions_of_their_own_at_once_get_different_ones()
    {
        await using var provider = await ProvisionedAsync();

        long first;
        Task<long> second;
        await using (var apply = await provider.Applier.BeginAsync(Token))
        {
            first = await apply.NextOwnVersionAsync(0, Token);
            second = Task.Run(
                async () =>
                {
                    await using var other = await provider.Applier.BeginAsync(Token);
                    var version = await other.NextOwnVersionAsync(0, Token);
                    await other.CommitAsync(Token);
                    return version;
                },
                Token);

            // The other transaction waits for this one (the node row, or the file's write lock) rather than racing it.
            await Task.Delay(200, Token);
            await apply.CommitAsync(Token);
        }

        Assert.True(await second > first, $"the second transaction's version ({await second}) is not above the first's ({first})");
    }

    [Fact]
    public async Task Provisioning_upgrades_a_node_of_metadata_version_1_in_place()
    {
        await using var provider = await ProvisionedAsync();
        var node = await provider.Tracking.GetNodeIdAsync(Token);
        foreach (var sql in Version1Sql)
        {
            await ExecuteAsync(provider, sql);
        }

        Assert.Equal(1L, await ScalarAsync(provider, "SELECT schema_version FROM unionsync_node"));

        Assert.Equal(node, await provider.Tracking.ProvisionAsync(Token));

        Assert.Equal((long)SyncMetadataVersion.Current, await ScalarAsync(provider, "SELECT schema_version FROM unionsync_node"));
        Assert.Equal(0L, await ScalarAsync(provider, "SELECT clock_offset_ms FROM unionsync_node"));
        Assert.True(await provider.Tracking.IsProvisionedAsync(Token));
        var before = NowMs();
        await RenameAsync(provider, SampleRows.MemberB, "after the upgrade");
        var after = NowMs();
        var physical = (await OriginAsync(provider, SampleRows.MemberB)).Version >> 16;
        Assert.InRange(physical, before - ToleranceMs, after + ToleranceMs);

        Assert.Equal(node, await provider.Tracking.ProvisionAsync(Token));
        Assert.Equal((long)SyncMetadataVersion.Current, await ScalarAsync(provider, "SELECT schema_version FROM unionsync_node"));
    }

    /// <summary>A provisioned node holding the sample organisations and members, none of them changed since provisioning.</summary>
    protected async Task<ISyncProvider> ProvisionedAsync()
    {
        EnsureAvailable();
        var provider = await CreateProviderAsync(Token);
        try
        {
            await provider.Schema.MigrateAsync(Token);
            await PlainSql.LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations()), (SyncTables.Members, SampleRows.Members())]);

            await provider.Tracking.ProvisionAsync(Token);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    private static long NowMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    private static void AssertStrictlyIncreasing(List<long> versions)
    {
        for (var i = 1; i < versions.Count; i++)
        {
            Assert.True(versions[i] > versions[i - 1], $"version {i} ({versions[i]}) is not above version {i - 1} ({versions[i - 1]}): {string.Join(", ", versions)}");
        }
    }

    private static Task SetClockOffsetAsync(ISyncProvider provider, long offsetMs) =>
        ExecuteAsync(provider, "UPDATE unionsync_node SET clock_offset_ms = @offset", ("@offset", offsetMs));

    /// <summary>A local write of a member, as another application would make it.</summary>
    private async Task RenameAsync(ISyncProvider provider, Guid member, string name)
    {
        await using var connection = await provider.DataSource.OpenConnectionAsync(Token);
        await RenameAsync(connection, member, name);
    }

    private async Task RenameAsync(DbConnection connection, Guid member, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE members SET name = @name WHERE id = @id";
        AddParameter(command, "@name", name);
        AddParameter(command, "@id", Key(member));
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Token));
    }

    /// <summary>The origin identity of the member's tracked version, as the change reader ships it.</summary>
    private static async Task<VersionIdentity> OriginAsync(ISyncProvider provider, Guid member)
    {
        await using var snapshot = await provider.Changes.OpenSnapshotAsync(Token);
        await foreach (var change in snapshot.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token))
        {
            if (change.Key == member)
            {
                return change.Origin ?? throw new InvalidOperationException($"The change of member {member} has no origin.");
            }
        }

        throw new InvalidOperationException($"Member {member} has no tracked change.");
    }

    /// <summary>Applies the member, unchanged but for its name, as a peer's change with the given origin.</summary>
    private static async Task ApplyAsync(ISyncProvider provider, Guid member, VersionIdentity origin, bool fromChild)
    {
        object?[]? values = null;
        await using (var snapshot = await provider.Changes.OpenSnapshotAsync(Token))
        {
            await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.ByKeys([member]), Token))
            {
                values = row.Values;
            }
        }

        Assert.NotNull(values);
        values[SyncTables.Members.IndexOf("name")] = "from a peer";
        var change = new RowChange { Table = SyncTables.Members, Key = member, Kind = ChangeKind.Upsert, Values = values, Origin = origin };
        await using var apply = await provider.Applier.BeginAsync(Token);
        if (fromChild)
        {
            await apply.ApplyFromChildAsync(SyncTables.Members, [change], Peer, Token);
        }
        else
        {
            await apply.ApplyAsync(SyncTables.Members, [change], Peer, Token);
        }

        await apply.CommitAsync(Token);
    }

    private static async Task ExecuteAsync(ISyncProvider provider, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<long> ScalarAsync(ISyncProvider provider, string sql)
    {
        await using var command = provider.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
