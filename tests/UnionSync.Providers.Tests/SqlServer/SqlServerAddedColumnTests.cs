using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>The additive column rollout on SQL Server: each test gets a new database on the run's server, or is skipped with the reason.</summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerAddedColumnTests(SqlServerFixture server) : AddedColumnConformanceTests
{
    protected override string UnsyncedTypeName => "xml";

    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        SqlServerRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);

    protected override string AddColumnSql(string table, string column, AddedColumnKind kind) =>
        $"ALTER TABLE {table} ADD {column} " + kind switch
        {
            AddedColumnKind.Text => "nvarchar(100) NULL",
            AddedColumnKind.Integer64 => "bigint NULL",
            AddedColumnKind.Integer32 => "int NULL",
            AddedColumnKind.NotNullText => "nvarchar(50) NOT NULL DEFAULT N''",
            _ => "xml NULL",
        };
}
