using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Conformance;

/// <summary>
/// <see cref="IApplyTransaction.ReadInSubtreeAsync"/>: which of some organisations lie in a subtree, as the upload's scope
/// check asks it, on the sample tree city → district → grassroots. Every provider must pass these; a provider plugs in
/// with a small subclass supplying <see cref="CreateProviderAsync"/> (a sync provider on a NEW, EMPTY database, disposed
/// by the test) and, optionally, <see cref="EnsureAvailable"/>.
/// </summary>
public abstract class SubtreeMembershipTests
{
    private static readonly Guid Elsewhere = Guid.Parse("0190f5a2-0000-7000-8000-00000000e15e");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A sync provider on a new, empty database.</summary>
    protected abstract Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken);

    /// <summary>Calls <c>Assert.Skip</c> when the provider cannot run here; does nothing by default.</summary>
    protected virtual void EnsureAvailable()
    {
    }

    [Fact]
    public async Task Tells_which_organisations_lie_in_a_subtree_at_any_depth_below_its_root()
    {
        await using var provider = await ProvisionedAsync();
        Guid[] all = [SampleRows.City, SampleRows.District, SampleRows.Grassroots, Elsewhere];
        await using var apply = await provider.Applier.BeginAsync(Token);

        Assert.Equal(new[] { SampleRows.City, SampleRows.District, SampleRows.Grassroots }.Order(), (await apply.ReadInSubtreeAsync(SampleRows.City, all, Token)).Order());
        Assert.Equal(new[] { SampleRows.District, SampleRows.Grassroots }.Order(), (await apply.ReadInSubtreeAsync(SampleRows.District, all, Token)).Order());
        Assert.Equal([SampleRows.Grassroots], await apply.ReadInSubtreeAsync(SampleRows.Grassroots, [SampleRows.District, SampleRows.Grassroots], Token));
        Assert.Empty(await apply.ReadInSubtreeAsync(SampleRows.District, [SampleRows.City], Token));
        Assert.Empty(await apply.ReadInSubtreeAsync(Elsewhere, all, Token));
        Assert.Empty(await apply.ReadInSubtreeAsync(SampleRows.City, [], Token));
    }

    [Fact]
    public async Task Sees_an_organisation_moved_in_the_same_transaction()
    {
        await using var provider = await ProvisionedAsync();
        await using var apply = await provider.Applier.BeginAsync(Token);
        var grassroots = SampleRows.Organizations().Single(o => (Guid)o[0]! == SampleRows.Grassroots);
        grassroots[1] = SampleRows.City;
        var origin = new VersionIdentity(Elsewhere, 1);
        RowChange moved = new() { Table = SyncTables.Organizations, Key = SampleRows.Grassroots, Kind = ChangeKind.Upsert, Values = grassroots, Origin = origin, Base = origin };
        await apply.ApplyAsync(SyncTables.Organizations, [moved], Elsewhere, Token);

        Assert.Empty(await apply.ReadInSubtreeAsync(SampleRows.District, [SampleRows.Grassroots], Token));
        Assert.Equal([SampleRows.Grassroots], await apply.ReadInSubtreeAsync(SampleRows.City, [SampleRows.Grassroots], Token));
    }

    private async Task<ISyncProvider> ProvisionedAsync()
    {
        EnsureAvailable();
        var provider = await CreateProviderAsync(Token);
        try
        {
            await provider.Schema.MigrateAsync(Token);
            await PlainSql.LoadAsync(provider, [(SyncTables.Organizations, SampleRows.Organizations())]);
            await provider.Tracking.ProvisionAsync(Token);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }
}
