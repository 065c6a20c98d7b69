using System.Data.Common;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer;

/// <summary>One SQL Server database: its data source, its migrator and its SqlBulkCopy loader.</summary>
internal sealed class SqlServerDatabaseProvider : IDatabaseProvider
{
    private readonly string _description;

    public SqlServerDatabaseProvider(DbDataSource dataSource, string description)
    {
        DataSource = dataSource;
        _description = description;
        Schema = new SqlServerSchemaMigrator(new SqlSchemaMigrator(dataSource, SqlServerStatements.Dialect, SqlServerStatements.Migrations));
        BulkLoader = new SqlServerBulkLoader(dataSource);
    }

    public string Name => SqlServerProviderFactory.ProviderName;

    public DbDataSource DataSource { get; }

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public string Describe() => _description;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
