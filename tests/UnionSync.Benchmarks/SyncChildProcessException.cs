namespace UnionSync.Benchmarks;

/// <summary>A <c>sync-once</c> child process failed: its exit code or its missing result, and what it wrote on stderr.</summary>
internal sealed class SyncChildProcessException : Exception
{
    public SyncChildProcessException()
    {
    }

    public SyncChildProcessException(string message)
        : base(message)
    {
    }

    public SyncChildProcessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
