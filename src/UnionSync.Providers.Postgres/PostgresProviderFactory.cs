using Npgsql;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres;

/// <summary>Opens PostgreSQL databases (<c>postgres:Host=127.0.0.1;Port=5432;Username=u;Database=city</c>) through one <see cref="NpgsqlDataSource"/>.</summary>
public sealed class PostgresProviderFactory : IDatabaseProviderFactory
{
    private readonly TimeProvider _timeProvider;

    public PostgresProviderFactory()
        : this(TimeProvider.System)
    {
    }

    /// <param name="timeProvider">The clock of node ids (UUID v7) and of peer, conflict and purge times; never of change order.</param>
    public PostgresProviderFactory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public string Name => "postgres";

    /// <exception cref="SyncConfigurationException">the connection string is not valid or names no host.</exception>
    public IDatabaseProvider Create(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SyncConfigurationException(
                $"The postgres connection string '{DatabaseSpec.Mask(connectionString)}' is not valid: {ex.Message} " +
                "Use e.g. 'Host=127.0.0.1;Port=5432;Username=u;Database=city'.",
                ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new SyncConfigurationException(
                $"The postgres connection string '{DatabaseSpec.Mask(connectionString)}' names no server: set Host=NAME (e.g. Host=127.0.0.1;Port=5432).");
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "unionsync";
        }

        NpgsqlDataSource dataSource;
        try
        {
            dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or InvalidOperationException)
        {
            throw new SyncConfigurationException(
                $"The postgres connection string '{DatabaseSpec.Mask(connectionString)}' cannot be used: {ex.Message}", ex);
        }

        var description = $"postgres {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new PostgresDatabaseProvider(dataSource, description, _timeProvider);
    }
}
