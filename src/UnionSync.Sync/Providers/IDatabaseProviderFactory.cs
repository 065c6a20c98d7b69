namespace UnionSync.Sync.Providers;

/// <summary>Creates a provider for a connection string. Hosts register one factory per provider.</summary>
public interface IDatabaseProviderFactory
{
    /// <summary>The provider name used in <c>PROVIDER:CONNECTION-STRING</c>.</summary>
    string Name { get; }

    /// <exception cref="Errors.SyncConfigurationException">the connection string is not valid for this provider.</exception>
    IDatabaseProvider Create(string connectionString);
}
