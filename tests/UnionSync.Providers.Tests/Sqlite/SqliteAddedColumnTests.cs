using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>The additive column rollout on SQLite (STRICT tables: an added column is TEXT, INTEGER or INT); each test gets its own temp file.</summary>
[Trait("db", "sqlite")]
public sealed class SqliteAddedColumnTests : AddedColumnConformanceTests, IAsyncDisposable
{
    private readonly List<TempSqliteDatabase> _databases = [];

    protected override string UnsyncedTypeName => "BLOB";

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken)
    {
        var database = new TempSqliteDatabase("added-columns");
        _databases.Add(database);
        return Task.FromResult((ISyncProvider)database.CreateProvider());
    }

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        SqliteRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);

    protected override string AddColumnSql(string table, string column, AddedColumnKind kind) =>
        $"ALTER TABLE {table} ADD COLUMN {column} " + kind switch
        {
            AddedColumnKind.Text => "TEXT",
            AddedColumnKind.Integer64 => "INTEGER",
            AddedColumnKind.Integer32 => "INT",
            AddedColumnKind.NotNullText => "TEXT NOT NULL DEFAULT ''",
            _ => "BLOB",
        };
}
