using System.Text.Json;
using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Schema;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

public sealed class GeneratingFromTheCommandLine
{
    [Fact]
    public async Task into_sqlite_writes_the_federation_and_exits_0_with_a_summary()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("cli-generate");

        var run = await CliRun.RunAsync(cancellationToken, "generate", "--db", "sqlite:" + database.ConnectionString, "--members", "1500", "--seed", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("members", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1,500", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("rows/s", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1_500, await CountAsync(database, "members", cancellationToken));
        Assert.Equal(FederationCounts(1_500, 3).Organizations, await CountAsync(database, "organizations", cancellationToken));
        Assert.Equal(FederationCounts(1_500, 3).Cards, await CountAsync(database, "service_cards", cancellationToken));
    }

    [Fact]
    public async Task with_json_prints_one_json_object_with_the_counts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("cli-json");

        var run = await CliRun.RunAsync(cancellationToken, "generate", "--db", "sqlite:" + database.ConnectionString, "--members", "800", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(run.StandardOutput);
        var shape = FederationCounts(800, Seeding.GeneratorOptions.DefaultSeed);
        Assert.Equal(800, json.RootElement.GetProperty("members").GetInt64());
        Assert.Equal(shape.Organizations, json.RootElement.GetProperty("organizations").GetInt64());
        Assert.Equal(shape.Cards, json.RootElement.GetProperty("cards").GetInt64());
        Assert.True(json.RootElement.GetProperty("elapsedSeconds").GetDouble() > 0);
        Assert.Equal("sqlite", json.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task twice_into_the_same_database_exits_2_naming_the_table_and_keeps_the_first()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = new TempSqliteDatabase("cli-twice");
        var db = "sqlite:" + database.ConnectionString;
        var first = await CliRun.RunAsync(cancellationToken, "generate", "--db", db, "--members", "300");

        var second = await CliRun.RunAsync(cancellationToken, "generate", "--db", db, "--members", "300", "--seed", "2");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("already holds", second.StandardError, StringComparison.Ordinal);
        Assert.Contains("table organizations", second.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.StandardError, StringComparison.Ordinal);
        Assert.Equal(300, await CountAsync(database, "members", cancellationToken));
    }

    [Fact]
    public async Task in_two_runs_with_one_seed_writes_identical_databases()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var first = new TempSqliteDatabase("cli-same-1");
        await using var second = new TempSqliteDatabase("cli-same-2");

        var runs = await Task.WhenAll(
            CliRun.RunAsync(cancellationToken, "generate", "--db", "sqlite:" + first.ConnectionString, "--members", "700", "--seed", "99"),
            CliRun.RunAsync(cancellationToken, "generate", "--db", "sqlite:" + second.ConnectionString, "--members", "700", "--seed", "99"));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        foreach (var table in SyncTables.All)
        {
            Assert.Equal(await DumpAsync(first, table, cancellationToken), await DumpAsync(second, table, cancellationToken));
        }
    }

    internal static (long Organizations, long Cards) FederationCounts(long members, long seed)
    {
        var shape = Seeding.FederationGenerator.Plan(new Seeding.GeneratorOptions { Members = members, Seed = seed });
        return (shape.Organizations, shape.Cards);
    }

    private static async Task<long> CountAsync(TempSqliteDatabase database, string table, CancellationToken cancellationToken)
    {
        await using var provider = database.CreateProvider();
        await using var connection = await provider.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<string>> DumpAsync(TempSqliteDatabase database, TableDescription table, CancellationToken cancellationToken)
    {
        await using var provider = database.CreateProvider();
        var rows = new List<string>();
        await foreach (var row in SqliteRowReader.ReadAllAsync(provider.DataSource, table, cancellationToken))
        {
            rows.Add(string.Join('|', row.Select(v => v switch
            {
                null => "<null>",
                DateTime t => t.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }

        Assert.NotEmpty(rows);
        return rows;
    }
}
