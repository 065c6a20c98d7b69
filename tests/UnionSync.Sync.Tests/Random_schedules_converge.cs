using System.Globalization;
using CsCheck;
using UnionSync.Seeding;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Property: random offline writes on every node (plain SQL: inserts, renames, transfers within and across districts,
/// deletes, phone and skill edits, card issue and loss) and random syncs in random order, then one quiescent pass (leaves up, then top-down):
/// every replica equals its scope, every detected conflict is in a log, foreign keys hold, no identity is applied
/// twice at a node. UNIONSYNC_SCHEDULES sets the number of schedules; UNIONSYNC_SEED replays a printed seed.
/// </summary>
public sealed class Random_schedules_converge : IAsyncLifetime
{
    private const int OperationKinds = 9;

    /// <summary>A schedule: 10 to 40 operations on random nodes of the seven (writes, and syncs of random edges).</summary>
    internal static readonly Gen<Operation[]> Schedules =
        Gen.Select(Gen.Int[0, OperationKinds - 1], Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue])
            .Select((kind, node, a, b) => new Operation(kind, node, a, b))
            .Array[10, 40];

    private readonly TempSqliteDatabase _template = new("p-template");

    public async ValueTask InitializeAsync()
    {
        var provider = _template.CreateProvider();
        await using (provider)
        {
            await new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = 800, Seed = 21 }, null, TestContext.Current.CancellationToken);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public ValueTask DisposeAsync() => _template.DisposeAsync();

    [Fact]
    public async Task every_replica_equals_its_scope_after_random_writes_and_syncs()
    {
        var schedules = int.TryParse(Environment.GetEnvironmentVariable("UNIONSYNC_SCHEDULES"), CultureInfo.InvariantCulture, out var n) ? n : 200;
        var seed = Environment.GetEnvironmentVariable("UNIONSYNC_SEED");
        await Schedules.SampleAsync(
            RunScheduleAsync,
            writeLine: line => TestContext.Current.SendDiagnosticMessage(line),
            seed: seed,
            iter: schedules,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));
    }

    /// <summary>
    /// The same property under each policy, set at every parent for every table, with the writes narrowed to a few members
    /// that every tier holds so that concurrent edits meet (UNIONSYNC_POLICY_SCHEDULES each, 50 by default; UNIONSYNC_HOT=0
    /// unnarrowed). Under manual, the queued conflicts are then decided (child or parent by turns; a child version that
    /// can no longer be applied, e.g. its organisation is gone, is refused and the parent's is taken), and after one more
    /// quiescent pass the replicas converge again with nothing left in a queue.
    /// </summary>
    [Theory]
    [InlineData(ConflictPolicy.ParentWins)]
    [InlineData(ConflictPolicy.ChildWins)]
    [InlineData(ConflictPolicy.LastWriterWins)]
    [InlineData(ConflictPolicy.Manual)]
    [InlineData(ConflictPolicy.MergeColumns)]
    [InlineData(ConflictPolicy.FieldAuthority)]
    public async Task every_replica_equals_its_scope_under_each_policy(ConflictPolicy policy)
    {
        var schedules = int.TryParse(Environment.GetEnvironmentVariable("UNIONSYNC_POLICY_SCHEDULES"), CultureInfo.InvariantCulture, out var n) ? n : 50;
        var conflicts = 0L;
        // Writes narrowed to a few members every tier holds: hundreds of conflicts per run instead of a handful
        // (docs/sync-engine.md §8). UNIONSYNC_HOT=0 runs the unnarrowed property instead.
        var hot = Environment.GetEnvironmentVariable("UNIONSYNC_HOT") != "0";
        await Schedules.SampleAsync(
            async operations => Interlocked.Add(ref conflicts, await RunScheduleAsync(operations, policy, hot)),
            writeLine: line => TestContext.Current.SendDiagnosticMessage(line),
            seed: Environment.GetEnvironmentVariable("UNIONSYNC_SEED"),
            iter: schedules,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));
        TestContext.Current.SendDiagnosticMessage($"{policy.Name()}: {schedules} schedules, {conflicts} conflicts decided");
        Assert.True(!hot || conflicts > 0, $"no schedule produced a conflict: the property tested nothing of {policy.Name()}");
    }

    /// <summary>
    /// Seeds that failed once, replayed in narrowed mode under the policy that showed them. 6Jb43YATWyZ6, 6myx27ZlMjl1: two
    /// rows merged by columns in one batch in the same millisecond took the same version identity at the parent.
    /// </summary>
    [Theory]
    [InlineData(ConflictPolicy.MergeColumns, "6Jb43YATWyZ6")]
    [InlineData(ConflictPolicy.FieldAuthority, "6myx27ZlMjl1")]
    public async Task a_seed_that_failed_once_converges(ConflictPolicy policy, string seed) =>
        await Schedules.SampleAsync(
            async operations => await RunScheduleAsync(operations, policy, hot: true),
            seed: seed,
            iter: 1,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));

    private Task RunScheduleAsync(Operation[] operations) => RunScheduleAsync(operations, ConflictPolicy.ParentWins, hot: false);

    /// <summary>Returns the number of conflicts the schedule's sessions reported.</summary>
    private async Task<long> RunScheduleAsync(Operation[] operations, ConflictPolicy policy, bool hot)
    {
        await using var topology = await Topology.CreateAsync(_template.FilePath);
        if (hot)
        {
            await topology.HeatAsync(perLeaf: 3);
        }

        foreach (var parent in topology.Edges.Select(e => e.Parent).Distinct())
        {
            foreach (var table in Schema.SyncTables.All)
            {
                await parent.Provider.Metadata.SetPolicyAsync(table.Name, policy, TestContext.Current.CancellationToken);
            }

            if (policy == ConflictPolicy.FieldAuthority)
            {
                // The grassroots tiers own names, the upper tiers a card's status; the rest falls back to parent-wins.
                await parent.Provider.Metadata.SetPolicyAsync(new PolicyChange("members", policy, Column: "name", Owner: ColumnOwners.Child), TestContext.Current.CancellationToken);
                await parent.Provider.Metadata.SetPolicyAsync(new PolicyChange("service_cards", policy, Column: "status", Owner: ColumnOwners.Parent), TestContext.Current.CancellationToken);
            }
        }

        if (policy.MergesColumns())
        {
            // Children keep base rows of a table from the first session that tells them their parent merges it.
            await topology.QuiescentPassAsync();
        }

        foreach (var operation in operations)
        {
            await operation.RunAsync(topology);
        }

        await topology.QuiescentPassAsync();
        await Harness.AssertQuiescentTopologyAsync(topology);
        if (policy == ConflictPolicy.Manual)
        {
            // A decision at one tier can meet another queued decision at the tier above (a new conflict, queued in turn):
            // decide and pass again until no queue holds anything, within a few rounds.
            for (var round = 0; await QueuedAsync(topology) > 0; round++)
            {
                Assert.True(round < 5, "queued conflicts keep coming back after five rounds of decisions");
                await DecideQueuedAsync(topology);
                await topology.QuiescentPassAsync();
                await Harness.AssertQuiescentTopologyAsync(topology);
            }
        }

        return topology.ConflictsReported;
    }

    private static async Task<long> QueuedAsync(Topology topology)
    {
        var queued = 0L;
        foreach (var node in topology.Nodes)
        {
            queued += await node.CountAsync("SELECT COUNT(*) FROM unionsync_conflicts WHERE state = 'queued'");
        }

        return queued;
    }

    private static async Task DecideQueuedAsync(Topology topology)
    {
        foreach (var node in topology.Nodes)
        {
            var decisions = new ConflictDecisions(node.Provider);
            foreach (var conflict in (await Harness.ConflictsAsync(node)).Where(c => c.State == ConflictStates.Queued))
            {
                try
                {
                    await decisions.ResolveAsync(conflict.Id, conflict.Id % 2 == 0 ? ConflictChoice.Child : ConflictChoice.Parent, TestContext.Current.CancellationToken);
                }
                catch (Exception e) when (e is ProviderException or ConflictDecisionRefusedException)
                {
                    await decisions.ResolveAsync(conflict.Id, ConflictChoice.Parent, TestContext.Current.CancellationToken);
                }
            }
        }
    }

    internal sealed record Operation(int Kind, int Node, int A, int B)
    {
        public async Task RunAsync(Topology topology)
        {
            var node = topology.Nodes[Node % topology.Nodes.Count];
            switch (Kind)
            {
                case 0:
                    if (await PickAsync(node, "SELECT id FROM organizations WHERE level = 4 AND id IN (SELECT organization_id FROM members)", A) is { } org)
                    {
                        var member = await Roster.InsertMemberAsync(node, org, "随机会员");
                        if (B % 2 == 0)
                        {
                            await Roster.IssueCardAsync(node, member);
                        }
                    }

                    break;
                case 1:
                    if (await PickMemberAsync(topology, node, A) is { } renamed)
                    {
                        await Roster.RenameMemberAsync(node, renamed, "改名" + (B % 1000).ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case 2:
                    if (await PickMemberAsync(topology, node, A) is { } moving
                        && await PickAsync(node, "SELECT id FROM organizations WHERE level = 4 AND id IN (SELECT organization_id FROM members)", B) is { } target)
                    {
                        await Roster.TransferMemberAsync(node, moving, target);
                    }

                    break;
                case 3:
                    if (await PickMemberAsync(topology, node, A) is { } leaving)
                    {
                        await Roster.DeleteMemberAsync(node, leaving);
                    }

                    break;
                case 4:
                    if (await PickMemberAsync(topology, node, A) is { } holder)
                    {
                        await Roster.IssueCardAsync(node, holder);
                    }

                    break;
                case 5:
                    if (await PickCardAsync(topology, node, A) is { } card)
                    {
                        await Roster.LoseCardAsync(node, card);
                    }

                    break;
                case 6:
                    // Another column than a rename touches, so that merging by columns has different columns to merge.
                    if (await PickMemberAsync(topology, node, A) is { } edited)
                    {
                        await (B % 2 == 0
                            ? node.ExecAsync("UPDATE members SET phone = @value WHERE id = @id", ("@value", "139" + (B % 100_000_000).ToString("D8", CultureInfo.InvariantCulture)), ("@id", node.Id(edited)))
                            : node.ExecAsync("UPDATE members SET skill_level = @value WHERE id = @id", ("@value", B % 6), ("@id", node.Id(edited))));
                    }

                    break;
                default:
                    await topology.SyncAsync(B % topology.Edges.Count);
                    break;
            }
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}@{Node}:{A % 1000}/{B % 1000}");

        private static async Task<Guid?> PickAsync(TestNode node, string sql, int index, IReadOnlySet<Guid>? only = null)
        {
            var ids = await node.IdsAsync(sql + " ORDER BY 1");
            if (only is not null)
            {
                ids = [.. ids.Where(only.Contains)];
            }

            return ids.Count == 0 ? null : ids[index % ids.Count];
        }

        private static Task<Guid?> PickMemberAsync(Topology topology, TestNode node, int index) =>
            PickAsync(node, "SELECT id FROM members", index, topology.HotMembers);

        private static async Task<Guid?> PickCardAsync(Topology topology, TestNode node, int index)
        {
            if (topology.HotMembers is not { } hot)
            {
                return await PickAsync(node, "SELECT id FROM service_cards", index);
            }

            var members = string.Join(", ", hot.Select(m => $"'{m:D}'"));
            return await PickAsync(node, $"SELECT id FROM service_cards WHERE member_id IN ({members})", index);
        }
    }
}
