namespace UnionSync.Sync.Providers;

/// <summary>Opens consistent read snapshots of a node's rows and changes.</summary>
public interface IChangeReader
{
    Task<IChangeSnapshot> OpenSnapshotAsync(CancellationToken cancellationToken);
}
