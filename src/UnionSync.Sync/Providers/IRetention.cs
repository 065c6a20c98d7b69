namespace UnionSync.Sync.Providers;

/// <summary>
/// Retention at one node (docs/sync-engine.md §9): the time marks that map wall-clock age to this node's watermarks,
/// the purge of tombstones and scope moves below a watermark, the purge floor that tells a child it came back too late,
/// and the local side of reinitialising a child. Tracking rows of live rows are never touched here: their version
/// identity is what tells a later edit from a conflict (DESIGN §7, spurious conflicts).
/// </summary>
/// <remarks>
/// Watermarks are this node's own (SQLite: its version counter; PostgreSQL: transaction ids; SQL Server: rowversions).
/// A watermark <c>W</c> "covers" every change a peer with checkpoint <c>W</c> has already received: SQLite versions up
/// to <c>W</c>, PostgreSQL transaction ids and SQL Server rowversions below <c>W</c>.
/// </remarks>
public interface IRetention
{
    /// <summary>
    /// Records that at <paramref name="recordedAt"/> this node's watermark was <paramref name="watermark"/> (a read
    /// snapshot's, taken before the time was read). A mark whose watermark an earlier mark already reaches adds nothing
    /// and is not written.
    /// </summary>
    Task RecordMarkAsync(DateTimeOffset recordedAt, long watermark, CancellationToken cancellationToken);

    /// <summary>The highest watermark marked at or before <paramref name="cutoff"/>: every change it covers is at least that old. Null when no mark is.</summary>
    Task<long?> FindMarkAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>This node's children as <c>unionsync_peers</c> records them.</summary>
    Task<IReadOnlyList<ChildCheckpoint>> ListChildrenAsync(CancellationToken cancellationToken);

    /// <summary>The lowest received checkpoint a child may hold and still sync; 0 on a node that never purged.</summary>
    Task<long> GetPurgeFloorAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Admits a child's session, in one transaction that a purge in progress excludes: returns the purge floor and, when
    /// <paramref name="checkpoint"/> is at or above it, records <paramref name="now"/> as the child's last sync here. A purge
    /// deciding at the same time therefore either sees the child as active (and keeps what it has not received) or has
    /// already raised the floor that refuses it; it never purges what an admitted session is about to download.
    /// </summary>
    Task<long> AdmitAsync(Guid childNode, long checkpoint, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, which excludes <see cref="AdmitAsync"/>: lowers <paramref name="floor"/> to what every child
    /// that synced since <paramref name="cutoff"/> has received (read again inside it), never below the floor already
    /// recorded; deletes the tombstones and scope moves that the floor covers, the applied-batch records of sessions
    /// started before <paramref name="cutoff"/>, session rows not updated since it and the marks an older mark makes
    /// redundant; and records the floor and <paramref name="now"/>.
    /// </summary>
    Task<PurgeCounts> PurgeAsync(long floor, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the local side of reinitialising this node (docs/sync-engine.md §9). Where the provider's watermark is not
    /// commit order (PostgreSQL, SQL Server) it holds other writers of the three data tables off from now until
    /// <see cref="IReinitialisation.ClearAsync"/> commits, so that an upload run in between sends every local change
    /// there is; readers are not held. Disposing it without clearing releases everything and changes nothing.
    /// </summary>
    Task<IReinitialisation> BeginReinitialiseAsync(CancellationToken cancellationToken);

    /// <summary>The provider's bulk path with the tracking triggers standing aside: the reload of a cleared, provisioned node.</summary>
    Task<IBulkLoadTransaction> BeginReloadAsync(CancellationToken cancellationToken);
}
