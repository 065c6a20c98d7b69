namespace UnionSync.Sync.Errors;

/// <summary>Bad configuration or usage: a setting, option or database name that cannot work. Hosts exit 2 on it.</summary>
public sealed class SyncConfigurationException : UnionSyncException
{
    public SyncConfigurationException()
    {
    }

    public SyncConfigurationException(string message)
        : base(message)
    {
    }

    public SyncConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
