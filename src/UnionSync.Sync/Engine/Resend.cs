using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// A row the parent sends back to the child because the child's change lost at the parent: its current version
/// (<see cref="ChangeKind.Upsert"/>, read again at download), its tombstone (<see cref="ChangeKind.Delete"/> with
/// <see cref="Identity"/>), or a removal of a row the parent refused (<see cref="ChangeKind.Remove"/>).
/// <see cref="Early"/> removals go before every upsert of the download: the child's duplicate of a row merged at the
/// parent must be gone before the surviving row, which holds the same unique number, arrives.
/// </summary>
internal sealed record Resend(TableDescription Table, Guid Key, ChangeKind Kind, VersionIdentity? Identity, bool Early = false);
