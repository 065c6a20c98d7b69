using System.Data.Common;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Providers.SqlServer.Metadata;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Retention;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer;

/// <summary>One SQL Server database: its data source, migrator, SqlBulkCopy loader, and its sync parts (tracking, reading, applying, metadata).</summary>
internal sealed class SqlServerDatabaseProvider : ISyncProvider
{
    private readonly string _description;

    public SqlServerDatabaseProvider(DbDataSource dataSource, string description, TimeProvider timeProvider)
    {
        DataSource = dataSource;
        _description = description;
        Schema = new SqlServerSchemaMigrator(new SqlSchemaMigrator(dataSource, SqlServerStatements.Dialect, SqlServerStatements.Migrations));
        BulkLoader = new SqlServerBulkLoader(dataSource);
        var metadata = new SqlServerSyncMetadata(dataSource, timeProvider);
        Metadata = metadata;
        Tracking = new SqlServerChangeTracker(dataSource, Schema, timeProvider);
        Changes = new SqlServerChangeReader(dataSource);
        Applier = new SqlServerChangeApplier(dataSource, metadata);
        Retention = new SqlServerRetention(dataSource, Tracking, timeProvider);
    }

    public string Name => SqlServerProviderFactory.ProviderName;

    public DbDataSource DataSource { get; }

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public IChangeTracker Tracking { get; }

    public IChangeReader Changes { get; }

    public IChangeApplier Applier { get; }

    public ISyncMetadata Metadata { get; }

    public IRetention Retention { get; }

    public string Describe() => _description;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
