namespace UnionSync.Sync.Engine;

/// <summary>Reported after each batch: the phase, the table of the batch, and the rows of the phase so far.</summary>
public readonly record struct SyncProgress(SyncPhase Phase, string Table, long Rows);
