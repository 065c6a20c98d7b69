using System.Data.Common;
using Npgsql;
using UnionSync.Providers.Postgres.Bulk;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Postgres;

/// <summary>One PostgreSQL database reached through an <see cref="NpgsqlDataSource"/>.</summary>
internal sealed class PostgresDatabaseProvider : IDatabaseProvider
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations =
        new(() => SqlSchemaMigrator.LoadEmbedded(typeof(PostgresDatabaseProvider).Assembly));

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresDatabaseProvider(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        _description = description;
        Schema = new SqlSchemaMigrator(dataSource, new PostgresMigrationDialect(), EmbeddedMigrations.Value);
        BulkLoader = new PostgresBulkLoader(dataSource);
    }

    public string Name => "postgres";

    public DbDataSource DataSource => _dataSource;

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public string Describe() => _description;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
