using System.Data.Common;
using Npgsql;
using UnionSync.Providers.Postgres.Apply;
using UnionSync.Providers.Postgres.Bulk;
using UnionSync.Providers.Postgres.Metadata;
using UnionSync.Providers.Postgres.Retention;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres;

/// <summary>One PostgreSQL database reached through an <see cref="NpgsqlDataSource"/>, able to take part in sync.</summary>
internal sealed class PostgresDatabaseProvider : ISyncProvider
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations =
        new(() => SqlSchemaMigrator.LoadEmbedded(typeof(PostgresDatabaseProvider).Assembly));

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    /// <param name="timeProvider">The clock of node ids and of peer, conflict and purge times; never of change order.</param>
    public PostgresDatabaseProvider(NpgsqlDataSource dataSource, string description, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        _description = description;
        Schema = new SqlSchemaMigrator(dataSource, new PostgresMigrationDialect(), EmbeddedMigrations.Value);
        BulkLoader = new PostgresBulkLoader(dataSource);
        var metadata = new PostgresSyncMetadata(dataSource, timeProvider);
        Metadata = metadata;
        Tracking = new PostgresChangeTracker(dataSource, Schema, timeProvider);
        Changes = new PostgresChangeReader(dataSource);
        Applier = new PostgresChangeApplier(dataSource, metadata);
        Retention = new PostgresRetention(dataSource, Tracking, timeProvider);
    }

    public string Name => "postgres";

    public DbDataSource DataSource => _dataSource;

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public IChangeTracker Tracking { get; }

    public IChangeReader Changes { get; }

    public IChangeApplier Applier { get; }

    public ISyncMetadata Metadata { get; }

    public IRetention Retention { get; }

    public string Describe() => _description;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
