using Microsoft.Data.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite;

/// <summary>
/// Opens SQLite databases (<c>sqlite:Data Source=grassroots.db</c>). Connections get foreign keys on, WAL journaling,
/// a busy timeout of <c>Default Timeout</c> seconds (30 unless set) and pooling; the file's directory is created if missing.
/// </summary>
public sealed class SqliteProviderFactory : IDatabaseProviderFactory
{
    private readonly TimeProvider _timeProvider;

    public SqliteProviderFactory()
        : this(TimeProvider.System)
    {
    }

    /// <param name="timeProvider">The clock of node ids (UUID v7) and of peer and conflict times; never of change order.</param>
    public SqliteProviderFactory(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public string Name => "sqlite";

    /// <summary>The provider, an <see cref="ISyncProvider"/>: cast or use <see cref="CreateSync"/>.</summary>
    /// <exception cref="SyncConfigurationException">the connection string is not valid or names no file.</exception>
    public IDatabaseProvider Create(string connectionString) => CreateSync(connectionString);

    /// <exception cref="SyncConfigurationException">the connection string is not valid or names no file.</exception>
    public ISyncProvider CreateSync(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new SyncConfigurationException(
                $"The sqlite connection string '{DatabaseSpec.Mask(connectionString)}' is not valid: {ex.Message} " +
                "Use e.g. 'Data Source=grassroots.db'.",
                ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new SyncConfigurationException(
                $"The sqlite connection string '{DatabaseSpec.Mask(connectionString)}' names no file: set Data Source=PATH (e.g. Data Source=grassroots.db).");
        }

        if (builder.Mode == SqliteOpenMode.Memory || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal))
        {
            throw new SyncConfigurationException(
                $"The sqlite connection string '{DatabaseSpec.Mask(connectionString)}' names an in-memory database, which each pooled connection " +
                "would see empty; name a file with Data Source=PATH.");
        }

        if (connectionString.Contains("foreign keys", StringComparison.OrdinalIgnoreCase) && builder.ForeignKeys == false)
        {
            throw new SyncConfigurationException(
                $"The sqlite connection string '{DatabaseSpec.Mask(connectionString)}' turns foreign keys off (Foreign Keys=False); " +
                "UnionSync needs them on: remove the keyword.");
        }

        builder.ForeignKeys = true;
        string? directory = null;
        if (!builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
            directory = Path.GetDirectoryName(builder.DataSource);
        }

        var dataSource = new SqliteFileDataSource(
            builder.ToString(),
            directory,
            busyTimeoutMilliseconds: Math.Max(0, builder.DefaultTimeout) * 1000,
            readOnly: builder.Mode == SqliteOpenMode.ReadOnly);
        return new SqliteDatabaseProvider(dataSource, builder.DataSource, _timeProvider);
    }
}
