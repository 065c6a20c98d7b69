using System.Text.Json;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

public sealed class BadUsageOfGenerate
{
    [Theory]
    [InlineData("grassroots.db", "PROVIDER:CONNECTION-STRING")]
    [InlineData("oracle:Data Source=x", "provider 'oracle'")]
    [InlineData("sqlite:", "no connection string")]
    [InlineData("sqlite:Colour=blue", "not valid")]
    public async Task a_bad_database_name_exits_2_with_a_message_naming_the_problem(string db, string expected)
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", db, "--members", "10");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--db", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task a_member_count_below_1_exits_2_naming_the_option(string members)
    {
        await using var database = new TempSqliteDatabase("cli-zero");

        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", "sqlite:" + database.ConnectionString, "--members", members);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--members", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(database.FilePath), "nothing should be created for bad usage");
    }

    [Fact]
    public async Task a_missing_option_or_unparsable_value_exits_2_not_1()
    {
        var missing = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--members", "10");
        var unparsable = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", "sqlite:Data Source=x.db", "--members", "many");

        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--db", missing.StandardError, StringComparison.Ordinal);
        Assert.True(unparsable.ExitCode == 2, unparsable.ToString());
        Assert.Contains("many", unparsable.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_failure_with_json_still_prints_one_json_object()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", "oracle:x", "--members", "10", "--json");

        Assert.Equal(2, run.ExitCode);
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("oracle", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task help_says_a_non_empty_database_is_refused_and_exits_0()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--members", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("already holds rows", run.StandardOutput, StringComparison.Ordinal);
    }
}
