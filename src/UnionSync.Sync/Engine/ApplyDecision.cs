namespace UnionSync.Sync.Engine;

internal enum ApplyDecision
{
    Apply,

    /// <summary>Already there (same identity), or nothing to do (a delete of a row that is gone).</summary>
    Skip,

    /// <summary>A conflict the policy resolved for the parent: the child's change is discarded.</summary>
    ParentWins,
}
