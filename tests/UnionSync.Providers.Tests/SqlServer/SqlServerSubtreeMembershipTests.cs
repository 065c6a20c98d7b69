using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Subtree membership on SQL Server: each test gets a new database on the run's server, or is skipped with the reason.</summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerSubtreeMembershipTests(SqlServerFixture server) : SubtreeMembershipTests
{
    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));
}
