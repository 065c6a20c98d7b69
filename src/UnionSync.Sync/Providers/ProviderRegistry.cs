using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Providers;

/// <summary>Opens a <see cref="DatabaseSpec"/> with the factory registered for its provider.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IDatabaseProviderFactory> _factories;

    public ProviderRegistry(IEnumerable<IDatabaseProviderFactory> factories)
    {
        _factories = factories.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public IDatabaseProvider Open(DatabaseSpec spec)
    {
        if (!_factories.TryGetValue(spec.Provider, out var factory))
        {
            throw new SyncConfigurationException(
                $"Provider '{spec.Provider}' is not available in this program; it has {string.Join(", ", _factories.Keys)}.");
        }

        return factory.Create(spec.ConnectionString);
    }

    public IDatabaseProvider Open(string text, string settingName = "database") => Open(DatabaseSpec.Parse(text, settingName));
}
