using System.Data.Common;
using UnionSync.Providers.Sqlite.Apply;
using UnionSync.Providers.Sqlite.Bulk;
using UnionSync.Providers.Sqlite.Metadata;
using UnionSync.Providers.Sqlite.Retention;
using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Sqlite;

/// <summary>One SQLite file reached through <see cref="SqliteFileDataSource"/>, with its sync parts (triggers, snapshots, applier).</summary>
internal sealed class SqliteDatabaseProvider : ISyncProvider
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations =
        new(() => SqlSchemaMigrator.LoadEmbedded(typeof(SqliteDatabaseProvider).Assembly));

    private readonly SqliteFileDataSource _dataSource;
    private readonly string _path;

    public SqliteDatabaseProvider(SqliteFileDataSource dataSource, string path, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _path = path;
        Schema = new SqlSchemaMigrator(dataSource, new SqliteMigrationDialect(), EmbeddedMigrations.Value);
        BulkLoader = new SqliteBulkLoader(dataSource);
        var metadata = new SqliteSyncMetadata(dataSource, timeProvider);
        Metadata = metadata;
        Tracking = new SqliteChangeTracker(dataSource, Schema, timeProvider);
        Changes = new SqliteChangeReader(dataSource);
        Applier = new SqliteChangeApplier(dataSource, metadata);
        Retention = new SqliteRetention(dataSource, Tracking, timeProvider);
    }

    public string Name => "sqlite";

    public DbDataSource DataSource => _dataSource;

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public IChangeTracker Tracking { get; }

    public IChangeReader Changes { get; }

    public IChangeApplier Applier { get; }

    public ISyncMetadata Metadata { get; }

    public IRetention Retention { get; }

    public string Describe() => $"sqlite {_path}";

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
