using UnionSync.Providers.SqlServer;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// What SQL Server must do beyond the conformance suite (which covers migration, round-trip, abort and duplicate
/// identity numbers): its CHECK constraints and unique indexes compare case-sensitively, as the other providers do,
/// and its constraints stay trusted after a bulk load. Each test has its own new database, or is skipped with the reason.
/// </summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerProviderIntegrationTests(SqlServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_in_capitals_is_a_check_violation()
    {
        await using var provider = await MigratedProviderAsync();
        var organization = SampleRows.Organizations()[0];
        organization[SyncTables.Organizations.IndexOf("status")] = "ACTIVE";

        var error = await Assert.ThrowsAsync<ProviderException>(() => LoadAsync(provider, SyncTables.Organizations, [organization]));

        Assert.Equal(ProviderErrorKind.CheckViolation, error.Kind);
        Assert.Contains("ck_organizations_status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_numbers_differing_only_in_the_case_of_the_check_character_are_distinct()
    {
        await using var provider = await MigratedProviderAsync();
        await LoadAsync(provider, SyncTables.Organizations, SampleRows.Organizations());
        var upper = SampleRows.Member(Guid.CreateVersion7(), SampleRows.Grassroots, SampleRows.IdNumberWithX);
        var lower = SampleRows.Member(Guid.CreateVersion7(), SampleRows.Grassroots, SampleRows.IdNumberWithX.ToLowerInvariant());

        await LoadAsync(provider, SyncTables.Members, [upper, lower]);

        var numbers = new List<string>();
        await foreach (var row in SqlServerRowReader.ReadAllAsync(provider.DataSource, SyncTables.Members, Token))
        {
            numbers.Add((string)row[SyncTables.Members.IndexOf("id_number")]!);
        }

        Assert.Equal([SampleRows.IdNumberWithX, SampleRows.IdNumberWithX.ToLowerInvariant()], numbers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Constraints_stay_trusted_after_a_bulk_load()
    {
        await using var provider = await MigratedProviderAsync();
        await LoadAsync(provider, SyncTables.Organizations, SampleRows.Organizations());

        await using var command = provider.DataSource.CreateCommand(
            "SELECT (SELECT COUNT(*) FROM sys.check_constraints WHERE is_not_trusted = 1) + (SELECT COUNT(*) FROM sys.foreign_keys WHERE is_not_trusted = 1)");

        Assert.Equal(0, Convert.ToInt32(await command.ExecuteScalarAsync(Token), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<IDatabaseProvider> MigratedProviderAsync()
    {
        server.EnsureAvailable();
        var provider = new SqlServerProviderFactory().Create(await server.CreateDatabaseAsync(Token));
        await provider.Schema.MigrateAsync(Token);
        return provider;
    }

    private static async Task LoadAsync(IDatabaseProvider provider, TableDescription table, object?[][] rows)
    {
        await using var load = await provider.BulkLoader.BeginAsync(Token);
        await using (var writer = await load.OpenTableAsync(table, Token))
        {
            foreach (var row in rows)
            {
                await writer.WriteAsync(row, Token);
            }

            await writer.CompleteAsync(Token);
        }

        await load.CommitAsync(Token);
    }
}
