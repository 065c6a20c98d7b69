using UnionSync.Providers.Postgres;
using UnionSync.Providers.Sqlite;
using UnionSync.Providers.SqlServer;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli;

/// <summary>The three providers a <c>PROVIDER:CONNECTION-STRING</c> may name (DESIGN §6).</summary>
internal static class DatabaseProviders
{
    public static ProviderRegistry CreateRegistry() =>
        new([new SqliteProviderFactory(), new PostgresProviderFactory(), new SqlServerProviderFactory()]);

    /// <summary>Opens the database an option names; a connection string the driver rejects is a usage error naming the option.</summary>
    public static IDatabaseProvider Open(ProviderRegistry registry, string text, string optionName)
    {
        var spec = DatabaseSpec.Parse(text, optionName);
        try
        {
            return registry.Open(spec);
        }
        catch (Exception ex) when (ex is ArgumentException or SyncConfigurationException)
        {
            throw new SyncConfigurationException($"The {optionName} database cannot be opened: {ex.Message}", ex);
        }
    }
}
