namespace UnionSync.Sync.Engine;

/// <summary>What one purge did at a node.</summary>
/// <param name="Cutoff">Things older than this were old enough to go (now minus the window).</param>
/// <param name="PreviousFloor">The purge floor before: the lowest checkpoint a child could sync with.</param>
/// <param name="Floor">The purge floor now; a child whose checkpoint is below it must reinitialise.</param>
/// <param name="Tombstones">Tracking rows of deleted rows removed (never a live row's).</param>
/// <param name="Moves">Scope-move log rows removed.</param>
/// <param name="Batches">Applied-batch records removed.</param>
/// <param name="Sessions">Session rows removed.</param>
/// <param name="ActiveChildren">Children that synced within the window; the floor stays at or below what each has received.</param>
/// <param name="ChildrenAway">Children away longer than the window; they do not hold the purge back and must reinitialise.</param>
public sealed record PurgeSummary(
    DateTimeOffset Cutoff,
    long PreviousFloor,
    long Floor,
    long Tombstones,
    long Moves,
    long Batches,
    long Sessions,
    int ActiveChildren,
    int ChildrenAway);
