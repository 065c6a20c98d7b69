using UnionSync.Providers.Postgres;
using UnionSync.Sync.Errors;
using UnionSync.Testing.Postgres;

namespace UnionSync.Seeding.Tests;

[Trait("db", "postgres")]
public sealed class GeneratingIntoPostgres(PostgresServerFixture server)
{
    private static readonly GeneratorOptions Options = new() { Members = 2_500, Seed = 77 };

    [Fact]
    public async Task writes_every_enumerated_row_with_foreign_keys_holding()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var provider = new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));

        var result = await new FederationGenerator().GenerateAsync(provider, Options, null, cancellationToken);

        await LoadedDatabase.AssertCountsAsync(provider, result, Options, cancellationToken);
        await LoadedDatabase.AssertForeignKeysHoldAsync(provider, cancellationToken);
        await LoadedDatabase.AssertRowsEqualEnumeratedAsync(provider, Options, PostgresRowReader.ReadAllAsync, cancellationToken);
    }

    [Fact]
    public async Task refuses_a_database_that_already_holds_members()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        server.EnsureAvailable();
        await using var provider = new PostgresProviderFactory().Create(await server.CreateDatabaseAsync(cancellationToken));
        var generator = new FederationGenerator();
        var first = await generator.GenerateAsync(provider, new GeneratorOptions { Members = 300 }, null, cancellationToken);

        var ex = await Assert.ThrowsAsync<SyncConfigurationException>(
            () => generator.GenerateAsync(provider, new GeneratorOptions { Members = 300 }, null, cancellationToken));

        Assert.Contains("rows in table organizations", ex.Message, StringComparison.Ordinal);
        Assert.Equal(first.Members, await LoadedDatabase.CountAsync(provider, "SELECT COUNT(*) FROM members", cancellationToken));
    }
}
