using UnionSync.Providers.Sqlite;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing;

namespace UnionSync.Providers.Tests.Sqlite;

/// <summary>Subtree membership on SQLite: each test gets its own temp file.</summary>
[Trait("db", "sqlite")]
public sealed class SqliteSubtreeMembershipTests : SubtreeMembershipTests, IAsyncDisposable
{
    private readonly List<TempSqliteDatabase> _databases = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken)
    {
        var database = new TempSqliteDatabase("subtree");
        _databases.Add(database);
        return Task.FromResult(new SqliteProviderFactory().CreateSync(database.ConnectionString));
    }
}
