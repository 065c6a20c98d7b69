using UnionSync.Sync.Engine;

namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// City, two districts, four grassroots nodes (under the first district: a grassroots union and its street; under the
/// second: two grassroots unions), all SQLite files, loaded top-down from a copy of one generated city.
/// </summary>
internal sealed class Topology : IAsyncDisposable
{
    private Topology(List<TestNode> nodes, List<(TestNode Parent, TestNode Child)> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    public List<TestNode> Nodes { get; }

    /// <summary>Parent–child pairs, leaves last.</summary>
    public List<(TestNode Parent, TestNode Child)> Edges { get; }

    public TestNode City => Nodes[0];

    public long ConflictsReported { get; set; }

    public static async Task<Topology> CreateAsync(string cityTemplate)
    {
        var city = TestNode.Sqlite("p-city");
        Directory.CreateDirectory(Path.GetDirectoryName(city.FilePath)!);
        File.Copy(cityTemplate, city.FilePath);
        var districts = await Federation.DistrictsAsync(city);
        var firstUnions = await Federation.GrassrootsUnderAsync(city, districts[0]);
        var secondUnions = await Federation.GrassrootsUnderAsync(city, districts[1]);
        var street = (await city.IdsAsync("SELECT parent_id FROM organizations WHERE id = @id", ("@id", city.Id(firstUnions[0]))))[0];
        var d1 = TestNode.Sqlite("p-d1");
        var d2 = TestNode.Sqlite("p-d2");
        var g1 = TestNode.Sqlite("p-g1");
        var g1Street = TestNode.Sqlite("p-g1s");
        var g2 = TestNode.Sqlite("p-g2");
        var g2b = TestNode.Sqlite("p-g2b");
        var topology = new Topology([city, d1, d2, g1, g1Street, g2, g2b], [(city, d1), (city, d2), (d1, g1), (d1, g1Street), (d2, g2), (d2, g2b)]);
        var scopes = new[] { districts[0], districts[1], firstUnions[0], street, secondUnions[0], secondUnions[^1] };
        for (var i = 0; i < topology.Edges.Count; i++)
        {
            await Harness.SyncAsync(topology.Edges[i].Parent, topology.Edges[i].Child, scopes[i]);
        }

        return topology;
    }

    public async Task SyncAsync(int edge)
    {
        var (parent, child) = Edges[edge];
        SyncSummary summary = await Harness.SyncAsync(parent, child, batchSize: 16);
        ConflictsReported += summary.Conflicts;
    }

    /// <summary>Leaves first up, then top-down: after it every replica must equal its scope of the city.</summary>
    public async Task QuiescentPassAsync()
    {
        for (var i = Edges.Count - 1; i >= 0; i--)
        {
            await SyncAsync(i);
        }

        for (var i = 0; i < Edges.Count; i++)
        {
            await SyncAsync(i);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
