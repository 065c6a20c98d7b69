namespace UnionSync.Sync.Engine;

/// <summary>What one session did.</summary>
/// <param name="Scope">The child's scope organisation.</param>
/// <param name="InitialLoad">The child was empty and received a snapshot of its scope.</param>
/// <param name="RowsUp">Changes the parent applied from the child.</param>
/// <param name="RowsDown">Changes and rows the child applied from the parent (the initial load included).</param>
/// <param name="Conflicts">Conflicts detected and recorded in the parent's log.</param>
/// <param name="RemovalsByScopeMove">Rows removed at the child because they left its scope.</param>
public sealed record SyncSummary(
    Guid Scope,
    bool InitialLoad,
    long RowsUp,
    long RowsDown,
    long Conflicts,
    long RemovalsByScopeMove,
    TimeSpan Elapsed);
