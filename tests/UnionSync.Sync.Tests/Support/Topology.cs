using UnionSync.Sync.Engine;

namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// City, two districts, four grassroots nodes (under the first district: a grassroots union and its street; under the
/// second: two grassroots unions), loaded top-down from a copy of one generated city: all SQLite files
/// (<see cref="CreateAsync"/>), or a city and first district of another provider over SQLite (<see cref="LoadAsync"/>).
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

    /// <summary>When set, writes pick only these members and their cards: a few rows every tier holds, so that concurrent edits meet.</summary>
    public IReadOnlySet<Guid>? HotMembers { get; private set; }

    /// <summary>Narrows writes to the first <paramref name="perLeaf"/> members of each grassroots node.</summary>
    public async Task HeatAsync(int perLeaf)
    {
        var hot = new HashSet<Guid>();
        foreach (var leaf in Nodes.Skip(3))
        {
            hot.UnionWith((await leaf.IdsAsync("SELECT id FROM members ORDER BY id")).Take(perLeaf));
        }

        HotMembers = hot;
    }

    public static async Task<Topology> CreateAsync(string cityTemplate)
    {
        var city = TestNode.Sqlite("p-city");
        Directory.CreateDirectory(Path.GetDirectoryName(city.FilePath)!);
        File.Copy(cityTemplate, city.FilePath);
        return await LoadAsync(city, TestNode.Sqlite("p-d1"));
    }

    /// <summary>
    /// The same shape on a <paramref name="city"/> that already holds a generated federation (any provider) with an
    /// empty <paramref name="firstDistrict"/> (any provider); the second district and the grassroots nodes are SQLite.
    /// Every node is loaded top-down by the engine's initial load. The topology owns the nodes, also when this fails.
    /// </summary>
    public static async Task<Topology> LoadAsync(TestNode city, TestNode firstDistrict)
    {
        var topology = new Topology(
            [city, firstDistrict, TestNode.Sqlite("p-d2"), TestNode.Sqlite("p-g1"), TestNode.Sqlite("p-g1s"), TestNode.Sqlite("p-g2"), TestNode.Sqlite("p-g2b")],
            []);
        try
        {
            var districts = await Federation.DistrictsAsync(city);
            var firstUnions = await Federation.GrassrootsUnderAsync(city, districts[0]);
            var secondUnions = await Federation.GrassrootsUnderAsync(city, districts[1]);
            var street = (await city.IdsAsync("SELECT parent_id FROM organizations WHERE id = @id", ("@id", city.Id(firstUnions[0]))))[0];
            var n = topology.Nodes;
            topology.Edges.AddRange([(n[0], n[1]), (n[0], n[2]), (n[1], n[3]), (n[1], n[4]), (n[2], n[5]), (n[2], n[6])]);
            var scopes = new[] { districts[0], districts[1], firstUnions[0], street, secondUnions[0], secondUnions[^1] };
            for (var i = 0; i < topology.Edges.Count; i++)
            {
                await Harness.SyncAsync(topology.Edges[i].Parent, topology.Edges[i].Child, scopes[i]);
            }

            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
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
