using UnionSync.Sync.Changes;
using UnionSync.Sync.Engine;

namespace UnionSync.Sync.Tests.Support;

/// <summary>The engine as the tests drive it, and the assertions every test shares.</summary>
internal static class Harness
{
    private static readonly SyncEngine Instance = new();

    public static Task<SyncSummary> SyncAsync(TestNode parent, TestNode child, Guid? scope = null, int batchSize = SyncOptions.DefaultBatchSize) =>
        Instance.SyncAsync(parent.Provider, child.Provider, new SyncOptions { Scope = scope, BatchSize = batchSize }, null, TestContext.Current.CancellationToken);

    public static async Task AssertConvergedAsync(TestNode parent, TestNode child)
    {
        var result = await Instance.VerifyAsync(parent.Provider, child.Provider, TestContext.Current.CancellationToken);
        Assert.True(
            result.IsEqual,
            $"{child} differs from its scope at {parent} in {result.DifferenceCount} rows: " +
            string.Join("; ", result.Differences.Take(20).Select(d => $"{d.Table} {d.Key} {d.Kind} [{string.Join(',', d.Columns)}]")));
        Assert.True(result.RowsCompared > 0, "verify compared no rows");
    }

    public static async Task<List<ConflictRecord>> ConflictsAsync(TestNode node)
    {
        var list = new List<ConflictRecord>();
        await foreach (var conflict in node.Provider.Metadata.ListConflictsAsync(TestContext.Current.CancellationToken))
        {
            list.Add(conflict);
        }

        return list;
    }

    /// <summary>Foreign keys hold: no member without its organisation, no card without its member, no organisation without its parent.</summary>
    public static async Task AssertForeignKeysHoldAsync(TestNode node)
    {
        Assert.Equal(0, await node.CountAsync("SELECT COUNT(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = m.organization_id)"));
        Assert.Equal(0, await node.CountAsync("SELECT COUNT(*) FROM service_cards c WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = c.member_id)"));
        Assert.Equal(0, await node.CountAsync(
            "SELECT COUNT(*) FROM organizations o WHERE o.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organizations p WHERE p.id = o.parent_id)"));
    }

    /// <summary>
    /// No version identity was applied twice at <paramref name="node"/>: no two tracking rows carry the same
    /// (origin node, origin version), so no change crossed a tier twice. Initial versions (SQLite: the all-zero node;
    /// PostgreSQL: a NULL origin) name no change and are left out.
    /// </summary>
    public static async Task AssertNoIdentityAppliedTwiceAsync(TestNode node)
    {
        var sql = node.TextUuids
            ? "SELECT COUNT(*) FROM (SELECT t.origin_node_no, t.origin_version FROM unionsync_tracking t JOIN unionsync_nodes n ON n.node_no = t.origin_node_no " +
              "WHERE n.node_id <> '00000000-0000-0000-0000-000000000000' GROUP BY t.origin_node_no, t.origin_version HAVING COUNT(*) > 1)"
            : "SELECT COUNT(*) FROM (SELECT t.origin_node_no, t.origin_version FROM unionsync_tracking t JOIN unionsync_nodes n ON n.node_no = t.origin_node_no " +
              "WHERE t.origin_node_no IS NOT NULL AND t.origin_version IS NOT NULL AND n.node_id <> '00000000-0000-0000-0000-000000000000'::uuid " +
              "GROUP BY t.origin_node_no, t.origin_version HAVING COUNT(*) > 1) AS twice";
        await node.SettleAsync();
        Assert.True(0 == await node.CountAsync(sql), $"{node} holds one version identity on more than one row");
    }

    /// <summary>
    /// After a quiescent pass: every replica equals its scope of its parent (and so of the city), foreign keys hold at
    /// every node, no identity was applied twice, and every conflict the sessions reported is in a conflict log.
    /// </summary>
    public static async Task AssertQuiescentTopologyAsync(Topology topology)
    {
        foreach (var (parent, child) in topology.Edges)
        {
            await AssertConvergedAsync(parent, child);
        }

        var logged = 0L;
        foreach (var node in topology.Nodes)
        {
            await AssertForeignKeysHoldAsync(node);
            await AssertNoIdentityAppliedTwiceAsync(node);
            logged += await node.CountAsync("SELECT COUNT(*) FROM unionsync_conflicts");
        }

        Assert.Equal(topology.ConflictsReported, logged);
    }
}
