namespace UnionSync.Sync.Errors;

/// <summary>A database error translated by its provider; <see cref="IsTransient"/> says whether a retry may succeed.</summary>
public sealed class ProviderException : UnionSyncException
{
    public ProviderException()
    {
    }

    public ProviderException(string message)
        : base(message)
    {
    }

    public ProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ProviderException(string message, ProviderErrorKind kind, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
        IsTransient = isTransient;
    }

    public ProviderErrorKind Kind { get; }

    public bool IsTransient { get; }
}
