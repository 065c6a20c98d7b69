using Microsoft.Data.SqlClient;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// Creates SQL Server providers (<c>sqlserver:CONNECTION-STRING</c>) over Microsoft.Data.SqlClient. Each is an
/// <see cref="ISyncProvider"/>: change tracking, change reading, applying and metadata besides schema and bulk path.
/// </summary>
public sealed class SqlServerProviderFactory : IDatabaseProviderFactory
{
    internal const string ProviderName = "sqlserver";

    private static readonly string[] s_systemDatabases = ["master", "model", "msdb", "tempdb"];

    private readonly TimeProvider _timeProvider;

    public SqlServerProviderFactory()
        : this(TimeProvider.System)
    {
    }

    /// <param name="timeProvider">The clock of node ids and checkpoint times (never of change order).</param>
    public SqlServerProviderFactory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public string Name => ProviderName;

    /// <exception cref="SyncConfigurationException">the connection string cannot be parsed, or names no server or no user database.</exception>
    public IDatabaseProvider Create(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SyncConfigurationException(
                $"The sqlserver connection string '{DatabaseSpec.Mask(connectionString)}' is not valid: {exception.Message} " +
                "Write it as Server=HOST,PORT;Database=NAME;User Id=USER;Password=...;TrustServerCertificate=true.");
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new SyncConfigurationException(
                $"The sqlserver connection string '{DatabaseSpec.Mask(connectionString)}' names no server; add Server=HOST,PORT.");
        }

        if (string.IsNullOrWhiteSpace(builder.InitialCatalog))
        {
            throw new SyncConfigurationException(
                $"The sqlserver connection string '{DatabaseSpec.Mask(connectionString)}' names no database; add Database=NAME " +
                "(UnionSync never writes to the login's default database).");
        }

        if (s_systemDatabases.Contains(builder.InitialCatalog, StringComparer.OrdinalIgnoreCase))
        {
            throw new SyncConfigurationException(
                $"The sqlserver connection string '{DatabaseSpec.Mask(connectionString)}' names the system database " +
                $"'{builder.InitialCatalog}'; name a database of its own with Database=NAME.");
        }

        var description = $"sqlserver {builder.DataSource}/{builder.InitialCatalog}";
        return new SqlServerDatabaseProvider(SqlClientFactory.Instance.CreateDataSource(connectionString), description, _timeProvider);
    }
}
