using System.Data.Common;
using Microsoft.Extensions.Options;
using UnionSync.Hub.Configuration;
using UnionSync.Providers.Postgres;
using UnionSync.Providers.Postgres.Queries;
using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Sqlite.Queries;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.SqlServer.Queries;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Database;

/// <summary>Opens the configured hub database with its provider, and hands out that provider's read model.</summary>
internal static class HubDatabaseFactory
{
    public static IEnumerable<IDatabaseProviderFactory> ProviderFactories { get; } =
        [new SqliteProviderFactory(), new PostgresProviderFactory(), new SqlServerProviderFactory()];

    public static IDatabaseProvider Open(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var connectionString = options.ConnectionString!;
        if (options.Provider == "sqlite")
        {
            CreateSqliteFolder(connectionString);
        }

        try
        {
            return services.GetRequiredService<ProviderRegistry>().Open(new DatabaseSpec(options.Provider, connectionString));
        }
        catch (Exception exception) when (exception is SyncConfigurationException or ArgumentException)
        {
            throw new SyncConfigurationException(
                $"{DatabaseOptions.ConnectionStringKey} '{DatabaseSpec.Mask(connectionString)}' is not valid for provider '{options.Provider}': {exception.Message}",
                exception);
        }
    }

    public static IFederationQueries CreateQueries(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IDatabaseProvider>();
        return provider.Name switch
        {
            "sqlite" => new SqliteFederationQueries(provider.DataSource),
            "postgres" => new PostgresFederationQueries(provider.DataSource),
            "sqlserver" => new SqlServerFederationQueries(provider.DataSource),
            _ => throw new SyncConfigurationException($"{DatabaseOptions.ProviderKey} '{provider.Name}' has no read model in this hub."),
        };
    }

    /// <summary>The embedded database lives in a folder that may not exist yet (<c>data/</c> on first start).</summary>
    private static void CreateSqliteFolder(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? file = null;
        foreach (var key in (string[])["Data Source", "DataSource", "Filename"])
        {
            if (builder.TryGetValue(key, out var value) && value is string text && text.Length > 0)
            {
                file = text;
                break;
            }
        }

        if (file is null || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
