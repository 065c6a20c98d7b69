using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>The conformance suite on SQLite: each test gets its own temp file.</summary>
[Trait("db", "sqlite")]
public sealed class SqliteConformanceTests : ProviderConformanceTests, IAsyncDisposable
{
    private readonly List<TempSqliteDatabase> _databases = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<IDatabaseProvider> CreateProviderAsync(CancellationToken cancellationToken)
    {
        var database = new TempSqliteDatabase("conformance");
        _databases.Add(database);
        return Task.FromResult(database.CreateProvider());
    }

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        SqliteRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);
}
