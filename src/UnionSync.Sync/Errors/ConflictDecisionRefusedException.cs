namespace UnionSync.Sync.Errors;

/// <summary>An operator asked for a decision that cannot be carried out here (the child's version of a row that has left this node's scope since); nothing was changed.</summary>
public sealed class ConflictDecisionRefusedException : UnionSyncException
{
    public ConflictDecisionRefusedException()
    {
    }

    public ConflictDecisionRefusedException(string message)
        : base(message)
    {
    }

    public ConflictDecisionRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
