namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// A city, one of its districts and one grassroots union below it, on SQLite, generated and synced down once: the
/// federation the conflict-policy suites decide conflicts in, on the city–district edge (tier 0) and the
/// district–grassroots edge (tier 1).
/// </summary>
internal sealed class ThreeTiers(string prefix) : IAsyncDisposable
{
    public TestNode City { get; } = TestNode.Sqlite(prefix + "city");

    public TestNode District { get; } = TestNode.Sqlite(prefix + "district");

    public TestNode Union { get; } = TestNode.Sqlite(prefix + "union");

    /// <summary>The grassroots union's scope organisation.</summary>
    public Guid UnionScope { get; private set; }

    public async Task InitializeAsync()
    {
        await Federation.GenerateAsync(City);
        var district = (await Federation.DistrictsAsync(City))[0];
        UnionScope = (await Federation.GrassrootsUnderAsync(City, district))[0];
        await Harness.SyncAsync(City, District, district);
        await Harness.SyncAsync(District, Union, UnionScope);
    }

    public (TestNode Parent, TestNode Child) Edge(int tier) => tier == 0 ? (City, District) : (District, Union);

    /// <summary>A member the grassroots union holds, and so every tier.</summary>
    public async Task<Guid> MemberAsync() => (await Federation.MembersOfAsync(Union, UnionScope))[0];

    /// <summary>A quiescent pass: up from the bottom, then down from the top.</summary>
    public async Task PassAsync()
    {
        await Harness.SyncAsync(District, Union);
        await Harness.SyncAsync(City, District);
        await Harness.SyncAsync(District, Union);
    }

    public async Task AssertConvergedAsync()
    {
        await Harness.AssertConvergedAsync(City, District);
        await Harness.AssertConvergedAsync(District, Union);
        await Harness.AssertForeignKeysHoldAsync(Union);
        await Harness.AssertNoIdentityAppliedTwiceAsync(District);
    }

    public async ValueTask DisposeAsync()
    {
        await Union.DisposeAsync();
        await District.DisposeAsync();
        await City.DisposeAsync();
    }
}
