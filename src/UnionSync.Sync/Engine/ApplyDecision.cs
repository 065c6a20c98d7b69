namespace UnionSync.Sync.Engine;

internal enum ApplyDecision
{
    Apply,

    /// <summary>Already there (same identity), or nothing to do (a delete of a row that is gone).</summary>
    Skip,

    /// <summary>The row changed on both sides since the child's base: the table's policy decides.</summary>
    Conflict,
}
