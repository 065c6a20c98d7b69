using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Providers;

/// <summary>A database that can take part in sync: change tracking, change reading, change applying and sync metadata.</summary>
public interface ISyncProvider : IDatabaseProvider
{
    IChangeTracker Tracking { get; }

    IChangeReader Changes { get; }

    IChangeApplier Applier { get; }

    ISyncMetadata Metadata { get; }

    /// <summary>Retention: time marks, the tombstone purge and its floor, and the local side of reinitialising.</summary>
    IRetention Retention { get; }
}
