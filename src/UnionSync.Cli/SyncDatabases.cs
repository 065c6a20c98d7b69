using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli;

/// <summary>Opens the two databases of a sync or verify command, each as a provider that supports sync.</summary>
internal static class SyncDatabases
{
    public static async Task<ISyncProvider> OpenAsync(ProviderRegistry registry, string text, string optionName)
    {
        var provider = DatabaseProviders.Open(registry, text, optionName);
        if (provider is ISyncProvider sync)
        {
            return sync;
        }

        var name = provider.Name;
        await provider.DisposeAsync().ConfigureAwait(false);
        throw new SyncConfigurationException($"The {optionName} database uses provider '{name}', which does not support sync yet.");
    }

    public static Guid? ParseScope(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!Guid.TryParse(text, out var scope))
        {
            throw new SyncConfigurationException($"--scope must be an organisation id (a UUID such as 0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9d0e); it is '{text}'.");
        }

        return scope;
    }
}
