using UnionSync.Providers.Postgres;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>Subtree membership on PostgreSQL: each test gets a new database on the run's server.</summary>
[Trait("db", "postgres")]
public sealed class PostgresSubtreeMembershipTests(PostgresServerFixture server) : SubtreeMembershipTests
{
    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));
}
