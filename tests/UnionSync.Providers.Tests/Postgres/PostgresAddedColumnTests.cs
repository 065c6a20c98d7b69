using UnionSync.Providers.Postgres;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>The additive column rollout on PostgreSQL: each test gets a new database on the run's server.</summary>
[Trait("db", "postgres")]
public sealed class PostgresAddedColumnTests(PostgresServerFixture server) : AddedColumnConformanceTests
{
    protected override string UnsyncedTypeName => "jsonb";

    [Fact]
    public async Task The_bulk_path_refuses_a_value_out_of_range_of_a_narrower_integer_column_without_quoting_it()
    {
        await using var provider = await MigratedAsync();
        await AddColumnsAsync(provider);
        await using var load = await provider.BulkLoader.BeginAsync(Token);
        await using (var organizations = await load.OpenTableAsync(SyncTables.Organizations, Token))
        {
            foreach (var row in SampleRows.Organizations())
            {
                await organizations.WriteAsync(row, Token);
            }

            await organizations.CompleteAsync(Token);
        }

        await using var members = await load.OpenTableAsync(AddedColumns.MembersWithRank, Token);
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => members.WriteAsync(AddedColumns.MemberWithRank(SampleRows.Members()[0], 1, 9_876_543_210L, null), Token).AsTask());

        Assert.Contains("rank", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("9876543210", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", ColumnType.Text)]
    [InlineData("varchar", ColumnType.Text)]
    [InlineData("bpchar", ColumnType.Text)]
    [InlineData("int2", ColumnType.BigInt)]
    [InlineData("int4", ColumnType.BigInt)]
    [InlineData("int8", ColumnType.BigInt)]
    [InlineData("jsonb", null)]
    [InlineData("numeric", null)]
    [InlineData("uuid", null)]
    public void Catalog_types_map_to_the_types_added_columns_sync_as(string typeName, ColumnType? expected)
    {
        Assert.Equal(expected, Providers.Postgres.Tracking.PostgresChangeReader.SyncType(typeName));
    }

    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    protected override IAsyncEnumerable<object?[]> ReadRowsAsync(IDatabaseProvider provider, TableDescription table, CancellationToken cancellationToken) =>
        PostgresRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken);

    protected override string AddColumnSql(string table, string column, AddedColumnKind kind) =>
        $"ALTER TABLE {table} ADD COLUMN {column} " + kind switch
        {
            AddedColumnKind.Text => "text",
            AddedColumnKind.Integer64 => "bigint",
            AddedColumnKind.Integer32 => "integer",
            AddedColumnKind.NotNullText => "text NOT NULL DEFAULT ''",
            _ => "jsonb",
        };
}
