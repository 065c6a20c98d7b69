namespace UnionSync.Sync.Engine;

/// <summary>What a table's policy made of one conflict.</summary>
internal enum ConflictWinner
{
    /// <summary>The parent's version stays; the child's change is discarded and the parent's version re-sent to it.</summary>
    Parent,

    /// <summary>The child's version is applied at the parent (and travels on from there like any change).</summary>
    Child,

    /// <summary>The parent's version stays for now (re-sent to the child); the conflict waits for an operator.</summary>
    Queued,
}
