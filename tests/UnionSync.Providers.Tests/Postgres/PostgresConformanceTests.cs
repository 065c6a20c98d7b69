using UnionSync.Providers.Postgres;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>The conformance suite on PostgreSQL: each test gets a new database on the run's server.</summary>
[Trait("db", "postgres")]
public sealed class PostgresConformanceTests(PostgresServerFixture server) : ProviderConformanceTests
{
    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<IDatabaseProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        PostgresRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);
}
