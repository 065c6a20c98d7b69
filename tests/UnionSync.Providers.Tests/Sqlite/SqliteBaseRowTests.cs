using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>Base rows on SQLite (row triggers, per-row apply); each test gets its own temp file.</summary>
[Trait("db", "sqlite")]
public sealed class SqliteBaseRowTests : BaseRowConformanceTests, IAsyncDisposable
{
    private readonly List<TempSqliteDatabase> _databases = [];

    protected override bool RemovalDropsDependentsBaseRows => true;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken)
    {
        var database = new TempSqliteDatabase("base-rows");
        _databases.Add(database);
        return Task.FromResult((ISyncProvider)database.CreateProvider());
    }
}
