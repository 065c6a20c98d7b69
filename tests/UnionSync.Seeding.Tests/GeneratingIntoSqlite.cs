using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Errors;
using UnionSync.Testing;

namespace UnionSync.Seeding.Tests;

public sealed class GeneratingIntoSqlite
{
    private static readonly GeneratorOptions Options = new() { Members = 2_500, Seed = 77 };

    [Fact]
    public async Task writes_every_enumerated_row_with_foreign_keys_holding()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("generate");
        await using var provider = database.CreateProvider();
        var reports = new List<GenerationProgress>();

        var result = await new FederationGenerator().GenerateAsync(provider, Options, new SynchronousProgress(reports.Add), cancellationToken);

        await LoadedDatabase.AssertCountsAsync(provider, result, Options, cancellationToken);
        await LoadedDatabase.AssertForeignKeysHoldAsync(provider, cancellationToken);
        await LoadedDatabase.AssertRowsEqualEnumeratedAsync(provider, Options, SqliteRowReader.ReadAllAsync, cancellationToken);
        Assert.Contains(reports, r => r.Table == "members" && r.RowsWritten == Options.Members && r.RowsExpected == Options.Members);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public async Task refuses_a_database_that_already_holds_members_and_changes_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("generate-twice");
        await using var provider = database.CreateProvider();
        var generator = new FederationGenerator();
        var first = await generator.GenerateAsync(provider, Options, null, cancellationToken);

        var ex = await Assert.ThrowsAsync<SyncConfigurationException>(
            () => generator.GenerateAsync(provider, new GeneratorOptions { Members = 10, Seed = 1 }, null, cancellationToken));

        Assert.Contains("organizations", ex.Message, StringComparison.Ordinal);
        Assert.Contains(first.Organizations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        await LoadedDatabase.AssertCountsAsync(provider, first, Options, cancellationToken);
    }

    [Fact]
    public async Task a_cancelled_load_leaves_no_rows_behind()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("generate-cancel");
        await using var provider = database.CreateProvider();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new SynchronousProgress(p =>
        {
            if (p.Table == "members" && p.RowsWritten > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = 50_000 }, progress, cancel.Token));

        Assert.Equal(0, await LoadedDatabase.CountAsync(provider, "SELECT COUNT(*) FROM organizations", cancellationToken));
        Assert.Equal(0, await LoadedDatabase.CountAsync(provider, "SELECT COUNT(*) FROM members", cancellationToken));
    }
}
