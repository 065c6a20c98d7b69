namespace UnionSync.Sync.Errors;

/// <summary>
/// A peer or a database speaks another version of the sync protocol or of the sync metadata schema than this UnionSync;
/// the message names both versions. Nothing was exchanged.
/// </summary>
public sealed class VersionMismatchException : UnionSyncException
{
    public VersionMismatchException()
    {
    }

    public VersionMismatchException(string message)
        : base(message)
    {
    }

    public VersionMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
