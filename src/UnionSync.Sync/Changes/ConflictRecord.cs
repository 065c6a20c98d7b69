namespace UnionSync.Sync.Changes;

/// <summary>
/// One detected conflict as the log keeps it: the row, both versions (JSON of the values, null for a delete), both
/// identities, the nodes, the policy and its outcome. <see cref="Id"/> is assigned by the log.
/// </summary>
public sealed record ConflictRecord(
    long Id,
    string Table,
    Guid Key,
    string Kind,
    string? ParentVersion,
    string? ChildVersion,
    VersionIdentity? ParentIdentity,
    VersionIdentity? ChildIdentity,
    Guid ParentNode,
    Guid ChildNode,
    string Policy,
    string Outcome,
    string State,
    DateTime DetectedAt);
