using static UnionSync.Cli.Tests.PlainSqlite;
using System.Globalization;
using System.Text.Json;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

/// <summary>
/// <c>unionsync purge</c> and <c>unionsync sync --reinitialise</c> through the real process. The window is two seconds
/// and the test waits it out: the process keeps the system clock.
/// </summary>
public sealed class Purging_and_reinitialising : IAsyncLifetime
{
    private readonly TempSqliteDatabase _city = new("cli-r-city");
    private readonly TempSqliteDatabase _district = new("cli-r-district");
    private readonly TempSqliteDatabase _away = new("cli-r-away");

    private string City => "sqlite:" + _city.ConnectionString;

    private string District => "sqlite:" + _district.ConnectionString;

    private string Away => "sqlite:" + _away.ConnectionString;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var run = await CliRun.RunAsync(Token, "generate", "--db", City, "--members", "1500", "--seed", "4");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _away.DisposeAsync();
        await _district.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task a_purge_refuses_the_child_that_was_away_and_reinitialise_brings_it_back_with_its_offline_edit()
    {
        var districts = await ScalarsAsync(_city,
            "SELECT d.id FROM organizations d WHERE d.level = 2 AND EXISTS (SELECT 1 FROM organizations s JOIN organizations g ON g.parent_id = s.id " +
            "JOIN members m ON m.organization_id = g.id WHERE s.parent_id = d.id) ORDER BY d.id LIMIT 2");
        await SucceedAsync("sync", "--parent", City, "--child", District, "--scope", districts[0]);
        await SucceedAsync("sync", "--parent", City, "--child", Away, "--scope", districts[1]);
        var deleted = (await ScalarsAsync(_away, "SELECT id FROM members ORDER BY id LIMIT 1"))[0];
        var edited = (await ScalarsAsync(_away, "SELECT id FROM members ORDER BY id DESC LIMIT 1"))[0];
        await ExecAsync(_city, $"DELETE FROM service_cards WHERE member_id = '{deleted}'; DELETE FROM members WHERE id = '{deleted}'");
        await ExecAsync(_away, $"UPDATE members SET name = '离线改的' WHERE id = '{edited}'");
        await SucceedAsync("sync", "--parent", City, "--child", District);
        await Task.Delay(TimeSpan.FromSeconds(2.5), Token);

        var purge = await SucceedAsync("purge", "--db", City, "--older-than", "2s", "--json");
        var refused = await CliRun.RunAsync(Token, "sync", "--parent", City, "--child", Away, "--json");
        var reinitialised = await SucceedAsync("sync", "--parent", City, "--child", Away, "--reinitialise");
        var verify = await CliRun.RunAsync(Token, "verify", "--parent", City, "--child", Away);
        var district = await CliRun.RunAsync(Token, "sync", "--parent", City, "--child", District);

        using (var json = JsonDocument.Parse(purge.StandardOutput))
        {
            Assert.True(json.RootElement.GetProperty("tombstones").GetInt64() >= 1, purge.ToString());
            Assert.True(json.RootElement.GetProperty("floor").GetInt64() > json.RootElement.GetProperty("previousFloor").GetInt64(), purge.ToString());
            Assert.Equal(2, json.RootElement.GetProperty("childrenAway").GetInt32());
        }

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("--reinitialise", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.StandardError, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(refused.StandardOutput))
        {
            Assert.True(json.RootElement.GetProperty("reinitialiseRequired").GetBoolean());
            Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
        }

        Assert.Contains("reinitialised", reinitialised.StandardOutput, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(district.ExitCode == 0, district.ToString());
        Assert.Equal("离线改的", (await ScalarsAsync(_city, $"SELECT name FROM members WHERE id = '{edited}'"))[0]);
        Assert.Equal("0", (await ScalarsAsync(_away, $"SELECT COUNT(*) FROM members WHERE id = '{deleted}'"))[0]);
    }

    [Fact]
    public async Task purge_prints_what_it_did_and_exits_0()
    {
        var district = (await ScalarsAsync(_city, "SELECT id FROM organizations WHERE level = 2 ORDER BY id LIMIT 1"))[0];
        await SucceedAsync("sync", "--parent", City, "--child", District, "--scope", district);

        var run = await SucceedAsync("purge", "--db", City);

        Assert.Contains("tombstones", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("purge floor", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 active", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0d")]
    [InlineData("3w")]
    public async Task purge_with_a_bad_age_exits_2_naming_the_option_and_the_value(string age)
    {
        var run = await CliRun.RunAsync(Token, "purge", "--db", City, "--older-than", age, "--json");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--older-than", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(age, run.StandardError, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task purge_of_a_database_that_never_synced_exits_2()
    {
        var run = await CliRun.RunAsync(Token, "purge", "--db", City);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("not provisioned", run.StandardError, StringComparison.Ordinal);
    }

    private static async Task<CliRun> SucceedAsync(params string[] args)
    {
        var run = await CliRun.RunAsync(Token, args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }
}
