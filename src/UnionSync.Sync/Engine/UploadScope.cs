using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Which organisations lie in the child's subtree at the parent, as one uploaded batch's transaction sees them. The
/// parent is asked about the organisations the batch involves (<see cref="IApplyTransaction.ReadInSubtreeAsync"/>,
/// walked up from each), not for the whole subtree: a city-wide child's is 76,000 organisations at 4.3 M members, read
/// for every batch. Organisations the batch itself adds to the scope are added as they are accepted.
/// </summary>
internal sealed class UploadScope
{
    private readonly IApplyTransaction _transaction;
    private readonly Guid _root;
    private readonly Dictionary<Guid, bool> _inside = [];

    public UploadScope(IApplyTransaction transaction, Guid root)
    {
        _transaction = transaction;
        _root = root;
    }

    /// <summary>Asks the parent about those of <paramref name="organizations"/> not asked about yet, in one read.</summary>
    public async Task EnsureAsync(IEnumerable<Guid> organizations, CancellationToken cancellationToken)
    {
        var unknown = organizations.Where(o => !_inside.ContainsKey(o)).ToHashSet();
        if (unknown.Count == 0)
        {
            return;
        }

        var inside = await _transaction.ReadInSubtreeAsync(_root, unknown, cancellationToken).ConfigureAwait(false);
        foreach (var organization in unknown)
        {
            _inside[organization] = inside.Contains(organization);
        }
    }

    public async ValueTask<bool> ContainsAsync(Guid organization, CancellationToken cancellationToken)
    {
        await EnsureAsync([organization], cancellationToken).ConfigureAwait(false);
        return _inside[organization];
    }

    /// <exception cref="InvalidOperationException">the organisation was not asked about first (<see cref="EnsureAsync"/>).</exception>
    public bool Contains(Guid organization) =>
        _inside.TryGetValue(organization, out var inside)
            ? inside
            : throw new InvalidOperationException($"Organisation {organization:D} was tested against the child's scope before the parent was asked about it.");

    /// <summary>An organisation the batch brings into the scope.</summary>
    public void Add(Guid organization) => _inside[organization] = true;
}
