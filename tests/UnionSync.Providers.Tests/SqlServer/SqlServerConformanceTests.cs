using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>The conformance suite on SQL Server: each test gets a new database on the run's server, or is skipped with the reason.</summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerConformanceTests(SqlServerFixture server) : ProviderConformanceTests
{
    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<IDatabaseProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        SqlServerRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);
}
