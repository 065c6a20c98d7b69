namespace UnionSync.Sync.Changes;

/// <summary>What a receiver holds for a key when a batch arrives: the input of idempotency, conflict and scope checks.</summary>
/// <param name="Identity">The version held; null = the initial version (no change tracked since provisioning).</param>
/// <param name="SourcePeer">The peer that version arrived from; null = written at this node.</param>
/// <param name="Deleted">The row is a tombstone here.</param>
/// <param name="Values">The row's values, null for a tombstone.</param>
/// <param name="LocalVersion">The local watermark position of the last change (0 when untracked).</param>
public sealed record CurrentRow(VersionIdentity? Identity, Guid? SourcePeer, bool Deleted, object?[]? Values, long LocalVersion);
