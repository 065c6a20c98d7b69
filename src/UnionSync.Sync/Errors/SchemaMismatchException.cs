namespace UnionSync.Sync.Errors;

/// <summary>The database's schema is not one this version can work with (newer migration, missing table or column).</summary>
public sealed class SchemaMismatchException : UnionSyncException
{
    public SchemaMismatchException()
    {
    }

    public SchemaMismatchException(string message)
        : base(message)
    {
    }

    public SchemaMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
