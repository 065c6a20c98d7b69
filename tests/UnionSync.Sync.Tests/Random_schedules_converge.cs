using System.Globalization;
using CsCheck;
using UnionSync.Seeding;
using UnionSync.Sync.Tests.Support;
using UnionSync.Testing;

namespace UnionSync.Sync.Tests;

/// <summary>
/// Property: random offline writes on every node (plain SQL: inserts, renames, transfers within and across districts,
/// deletes, card issue and loss) and random syncs in random order, then one quiescent pass (leaves up, then top-down):
/// every replica equals its scope, every detected conflict is in a log, foreign keys hold, no identity is applied
/// twice at a node. UNIONSYNC_SCHEDULES sets the number of schedules; UNIONSYNC_SEED replays a printed seed.
/// </summary>
public sealed class Random_schedules_converge : IAsyncLifetime
{
    private const int OperationKinds = 8;

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

    private async Task RunScheduleAsync(Operation[] operations)
    {
        await using var topology = await Topology.CreateAsync(_template.FilePath);
        foreach (var operation in operations)
        {
            await operation.RunAsync(topology);
        }

        await topology.QuiescentPassAsync();
        await Harness.AssertQuiescentTopologyAsync(topology);
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
                    if (await PickAsync(node, "SELECT id FROM members", A) is { } renamed)
                    {
                        await Roster.RenameMemberAsync(node, renamed, "改名" + (B % 1000).ToString(CultureInfo.InvariantCulture));
                    }

                    break;
                case 2:
                    if (await PickAsync(node, "SELECT id FROM members", A) is { } moving
                        && await PickAsync(node, "SELECT id FROM organizations WHERE level = 4 AND id IN (SELECT organization_id FROM members)", B) is { } target)
                    {
                        await Roster.TransferMemberAsync(node, moving, target);
                    }

                    break;
                case 3:
                    if (await PickAsync(node, "SELECT id FROM members", A) is { } leaving)
                    {
                        await Roster.DeleteMemberAsync(node, leaving);
                    }

                    break;
                case 4:
                    if (await PickAsync(node, "SELECT id FROM members", A) is { } holder)
                    {
                        await Roster.IssueCardAsync(node, holder);
                    }

                    break;
                case 5:
                    if (await PickAsync(node, "SELECT id FROM service_cards", A) is { } card)
                    {
                        await Roster.LoseCardAsync(node, card);
                    }

                    break;
                default:
                    await topology.SyncAsync(B % topology.Edges.Count);
                    break;
            }
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}@{Node}:{A % 1000}/{B % 1000}");

        private static async Task<Guid?> PickAsync(TestNode node, string sql, int index)
        {
            var ids = await node.IdsAsync(sql + " ORDER BY 1");
            return ids.Count == 0 ? null : ids[index % ids.Count];
        }
    }
}
