namespace UnionSync.Sync.Changes;

/// <summary>The states of a conflict log entry.</summary>
public static class ConflictStates
{
    /// <summary>Decided by the table's policy when detected.</summary>
    public const string Resolved = "resolved";

    /// <summary>Waiting for an operator (manual policy): the parent's version stays until then.</summary>
    public const string Queued = "queued";
}
