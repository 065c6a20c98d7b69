namespace UnionSync.Sync.Providers;

/// <summary>
/// The local side of one reinitialise (<see cref="IRetention.BeginReinitialiseAsync"/>), begun before the node's last
/// upload and cleared after it.
/// </summary>
public interface IReinitialisation : IAsyncDisposable
{
    /// <summary>
    /// In one transaction with the tracking triggers standing aside: deletes every row of the three data tables, every
    /// tracking row and scope move, and raises the purge floor above every watermark this node has handed out, so that
    /// its own children, whose checkpoints name history that is gone, are told to reinitialise in turn. The node keeps
    /// its id, peers, conflict log and batch records. Returns false, clearing nothing, when a change that did not come
    /// from <paramref name="parent"/> was written after <paramref name="uploadedWatermark"/> (the upload's watermark):
    /// it was not uploaded, and clearing would lose it.
    /// </summary>
    Task<bool> ClearAsync(Guid parent, long uploadedWatermark, CancellationToken cancellationToken);
}
