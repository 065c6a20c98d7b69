namespace UnionSync.Sync.Changes;

/// <summary>Names one batch of one session, so that a batch applied twice is applied once.</summary>
public readonly record struct BatchId(Guid Session, SyncDirection Direction, int Number);
