namespace UnionSync.Sync.Errors;

/// <summary>An operator asked to decide a conflict that is not waiting in the queue (decided already, or never queued).</summary>
public sealed class ConflictNotQueuedException : UnionSyncException
{
    public ConflictNotQueuedException()
    {
    }

    public ConflictNotQueuedException(string message)
        : base(message)
    {
    }

    public ConflictNotQueuedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
