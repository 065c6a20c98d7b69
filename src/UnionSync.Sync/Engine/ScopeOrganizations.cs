using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The organisations of a child's scope at the parent, read from the download's snapshot the first time something needs
/// them: a scope move or a re-sent row. A download without either (a no-op, a run of edits) never reads the subtree,
/// whose size follows the federation's, not the changes'.
/// </summary>
internal sealed class ScopeOrganizations
{
    private readonly IChangeSnapshot _snapshot;
    private readonly Guid _root;
    private IReadOnlySet<Guid>? _organizations;

    public ScopeOrganizations(IChangeSnapshot snapshot, Guid root)
    {
        _snapshot = snapshot;
        _root = root;
    }

    /// <summary>Reads the subtree unless it was read already; call it while no reader of the snapshot is open.</summary>
    public async ValueTask<IReadOnlySet<Guid>> LoadAsync(CancellationToken cancellationToken) =>
        _organizations ??= await _snapshot.ReadSubtreeAsync(_root, cancellationToken).ConfigureAwait(false);

    /// <exception cref="InvalidOperationException">the subtree was not loaded first (<see cref="LoadAsync"/>).</exception>
    public bool Contains(Guid organization) =>
        (_organizations ?? throw new InvalidOperationException("The scope's organisations are read before they are tested.")).Contains(organization);
}
