using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>What the resolver knows of a conflict before it becomes a <see cref="ConflictRecord"/>.</summary>
internal sealed record ConflictInput(
    TableDescription Table,
    Guid Key,
    string Kind,
    object?[]? ParentValues,
    object?[]? ChildValues,
    VersionIdentity? ParentIdentity,
    VersionIdentity? ChildIdentity,
    string Outcome,
    ConflictPolicy Policy,
    bool Queued = false);
