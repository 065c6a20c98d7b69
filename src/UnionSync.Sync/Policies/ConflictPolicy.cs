namespace UnionSync.Sync.Policies;

/// <summary>
/// How a table's conflicts are decided at the parent (DESIGN §4.2, §6). The parent's database keeps each table's policy,
/// so every process that syncs with that parent applies the same one.
/// </summary>
public enum ConflictPolicy
{
    /// <summary>The parent's version stays and is re-sent to the child (the default).</summary>
    ParentWins,

    /// <summary>The child's version replaces the parent's.</summary>
    ChildWins,

    /// <summary>The later version by hybrid logical clock (origin version, then origin node) wins.</summary>
    LastWriterWins,

    /// <summary>Edits of different columns are both kept; the same column is decided by the fallback policy.</summary>
    MergeColumns,

    /// <summary>Each contested column goes to its owner (parent, child or a named source); other columns by the fallback policy.</summary>
    FieldAuthority,

    /// <summary>The parent's version stays and the conflict waits in the queue for an operator to decide.</summary>
    Manual,
}
