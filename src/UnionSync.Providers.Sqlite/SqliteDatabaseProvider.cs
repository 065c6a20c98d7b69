using UnionSync.Providers.Sqlite.Bulk;
using UnionSync.Sync.Providers;
using System.Data.Common;

namespace UnionSync.Providers.Sqlite;

/// <summary>One SQLite file reached through <see cref="SqliteFileDataSource"/>.</summary>
internal sealed class SqliteDatabaseProvider : IDatabaseProvider
{
    private static readonly Lazy<IReadOnlyList<SchemaMigration>> EmbeddedMigrations =
        new(() => SqlSchemaMigrator.LoadEmbedded(typeof(SqliteDatabaseProvider).Assembly));

    private readonly SqliteFileDataSource _dataSource;
    private readonly string _path;

    public SqliteDatabaseProvider(SqliteFileDataSource dataSource, string path)
    {
        _dataSource = dataSource;
        _path = path;
        Schema = new SqlSchemaMigrator(dataSource, new SqliteMigrationDialect(), EmbeddedMigrations.Value);
        BulkLoader = new SqliteBulkLoader(dataSource);
    }

    public string Name => "sqlite";

    public DbDataSource DataSource => _dataSource;

    public ISchemaMigrator Schema { get; }

    public IBulkLoader BulkLoader { get; }

    public string Describe() => $"sqlite {_path}";

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
