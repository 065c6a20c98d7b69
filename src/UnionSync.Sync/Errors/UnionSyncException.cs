namespace UnionSync.Sync.Errors;

/// <summary>The root of UnionSync's own exceptions. Messages name the setting, table or column, never a full identity number.</summary>
public class UnionSyncException : Exception
{
    public UnionSyncException()
    {
    }

    public UnionSyncException(string message)
        : base(message)
    {
    }

    public UnionSyncException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
