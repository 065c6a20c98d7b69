using UnionSync.Providers.Postgres;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Providers;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>Base rows on PostgreSQL: each test gets a new database on the run's server.</summary>
[Trait("db", "postgres")]
public sealed class PostgresBaseRowTests(PostgresServerFixture server) : BaseRowConformanceTests
{
    protected override bool RemovalDropsDependentsBaseRows => true;

    [Theory]
    [InlineData("organizations")]
    [InlineData("members")]
    [InlineData("service_cards")]
    public async Task A_base_row_table_has_its_tables_columns_and_types_all_nullable_but_the_key_and_no_constraint_but_the_key(string table)
    {
        await using var provider = await PreparedAsync();

        var data = await ColumnsAsync(provider, table);
        var kept = await ColumnsAsync(provider, $"unionsync_base_{table}");

        Assert.Equal(data.Select(c => (c.Name, c.Type)), kept.Select(c => (c.Name, c.Type)));
        Assert.Equal(data.Select(c => c.Name != "id"), kept.Select(c => c.Nullable));
        Assert.Equal(["PRIMARY KEY (id)"], await ConstraintsAsync(provider, $"unionsync_base_{table}"));
    }

    [Fact]
    public async Task The_policy_tables_have_the_types_of_the_policy_table()
    {
        await using var provider = await PreparedAsync();

        var policies = await ColumnsAsync(provider, "unionsync_policies");
        var (text, timestamp) = (policies.Single(c => c.Name == "policy").Type, policies.Single(c => c.Name == "updated_at").Type);

        Assert.Equal([("tbl", text, false), ("fallback", text, false), ("updated_at", timestamp, false)], await ColumnsAsync(provider, "unionsync_policy_fallbacks"));
        Assert.Equal(["PRIMARY KEY (tbl)"], await ConstraintsAsync(provider, "unionsync_policy_fallbacks"));
        Assert.Equal(
            [("tbl", text, false), ("col", text, false), ("owner", text, false), ("updated_at", timestamp, false)],
            await ColumnsAsync(provider, "unionsync_column_owners"));
        Assert.Equal(["PRIMARY KEY (tbl, col)"], await ConstraintsAsync(provider, "unionsync_column_owners"));
    }

    [Fact]
    public async Task The_capture_table_is_keyed_by_the_table_number_with_the_type_of_the_tracking_tables()
    {
        await using var provider = await PreparedAsync();

        var number = (await ColumnsAsync(provider, "unionsync_tracking")).Single(c => c.Name == "tbl").Type;

        Assert.Equal([("tbl", number, false)], await ColumnsAsync(provider, "unionsync_base_capture"));
        Assert.Equal(["PRIMARY KEY (tbl)"], await ConstraintsAsync(provider, "unionsync_base_capture"));
    }

    protected override void EnsureAvailable() => server.EnsureAvailable();

    protected override async Task<ISyncProvider> CreateProviderAsync(CancellationToken cancellationToken) =>
        (ISyncProvider)new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

    private static async Task<List<(string Name, string Type, bool Nullable)>> ColumnsAsync(IDatabaseProvider provider, string table)
    {
        await using var command = provider.DataSource.CreateCommand(
            "SELECT attname::text, format_type(atttypid, atttypmod), NOT attnotnull FROM pg_attribute " +
            $"WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var columns = new List<(string, string, bool)>();
        while (await reader.ReadAsync(Token))
        {
            columns.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return columns;
    }

    private static async Task<List<string>> ConstraintsAsync(IDatabaseProvider provider, string table)
    {
        await using var command = provider.DataSource.CreateCommand(
            $"SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{table}'::regclass ORDER BY conname");
        await using var reader = await command.ExecuteReaderAsync(Token);
        var constraints = new List<string>();
        while (await reader.ReadAsync(Token))
        {
            constraints.Add(reader.GetString(0));
        }

        return constraints;
    }
}
