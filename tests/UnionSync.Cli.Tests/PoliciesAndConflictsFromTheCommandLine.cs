using static UnionSync.Cli.Tests.PlainSqlite;
using System.Text.Json;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

/// <summary>
/// <c>unionsync policy set|list</c> and <c>unionsync conflicts list|show|resolve</c> through the real process, as an
/// operator uses them: a manual policy set at the city, a conflict queued by a sync, read, decided, and the decision
/// synced down.
/// </summary>
public sealed class PoliciesAndConflictsFromTheCommandLine : IAsyncLifetime
{
    private readonly TempSqliteDatabase _city = new("cli-policy-city");
    private readonly TempSqliteDatabase _district = new("cli-policy-district");

    private string City => "sqlite:" + _city.ConnectionString;

    private string District => "sqlite:" + _district.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", City, "--members", "800", "--seed", "9");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _district.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task a_manual_policy_queues_the_conflict_and_the_operators_decision_reaches_the_child()
    {
        var token = TestContext.Current.CancellationToken;
        var set = await CliRun.RunAsync(token, "policy", "set", "--db", City, "--table", "members", "--policy", "manual");
        Assert.True(set.ExitCode == 0, set.ToString());
        var list = await CliRun.RunAsync(token, "policy", "list", "--db", City, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var policies = JsonDocument.Parse(list.StandardOutput).RootElement.GetProperty("policies").EnumerateArray()
            .ToDictionary(p => p.GetProperty("table").GetString()!, p => p.GetProperty("policy").GetString());
        Assert.Equal("manual", policies["members"]);
        Assert.Equal("parent-wins", policies["service_cards"]);

        var district = await ScalarAsync(_city, "SELECT id FROM organizations WHERE level = 2 AND id IN (SELECT s.parent_id FROM organizations s JOIN organizations g ON g.parent_id = s.id JOIN members m ON m.organization_id = g.id) ORDER BY id LIMIT 1");
        var first = await CliRun.RunAsync(token, "sync", "--parent", City, "--child", District, "--scope", district);
        Assert.True(first.ExitCode == 0, first.ToString());
        var member = await ScalarAsync(_district, "SELECT id FROM members ORDER BY id LIMIT 1");
        await ExecAsync(_city, $"UPDATE members SET phone = '13900000001' WHERE id = '{member}'");
        await ExecAsync(_district, $"UPDATE members SET phone = '13900000002' WHERE id = '{member}'");

        var sync = await CliRun.RunAsync(token, "sync", "--parent", City, "--child", District, "--json");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(1, JsonDocument.Parse(sync.StandardOutput).RootElement.GetProperty("conflicts").GetInt64());
        Assert.Equal("13900000001", await ScalarAsync(_district, $"SELECT phone FROM members WHERE id = '{member}'"));

        var queued = await CliRun.RunAsync(token, "conflicts", "list", "--db", City, "--queued", "--json");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        var entry = Assert.Single(JsonDocument.Parse(queued.StandardOutput).RootElement.GetProperty("conflicts").EnumerateArray().ToList());
        var id = entry.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(member, entry.GetProperty("key").GetString());

        var text = await CliRun.RunAsync(token, "conflicts", "list", "--db", City);
        Assert.Contains("queued", text.StandardOutput, StringComparison.Ordinal);
        var show = await CliRun.RunAsync(token, "conflicts", "show", id, "--db", City);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("13900000002", show.StandardOutput, StringComparison.Ordinal);
        var idNumber = await ScalarAsync(_city, $"SELECT id_number FROM members WHERE id = '{member}'");
        Assert.DoesNotContain(idNumber, show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(idNumber[..6] + "********" + idNumber[^4..], show.StandardOutput, StringComparison.Ordinal);
        var showJson = await CliRun.RunAsync(token, "conflicts", "show", id, "--db", City, "--json");
        Assert.Equal(["phone"], JsonDocument.Parse(showJson.StandardOutput).RootElement.GetProperty("conflict").GetProperty("differingColumns")
            .EnumerateArray().Select(c => c.GetString()).Where(c => c != "updated_at").ToArray());

        var resolve = await CliRun.RunAsync(token, "conflicts", "resolve", id, "--db", City, "--take", "child", "--json");
        Assert.True(resolve.ExitCode == 0, resolve.ToString());
        Assert.Equal("13900000002", await ScalarAsync(_city, $"SELECT phone FROM members WHERE id = '{member}'"));
        var again = await CliRun.RunAsync(token, "conflicts", "resolve", id, "--db", City, "--take", "parent");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("not queued", again.StandardError, StringComparison.Ordinal);

        var down = await CliRun.RunAsync(token, "sync", "--parent", City, "--child", District);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal("13900000002", await ScalarAsync(_district, $"SELECT phone FROM members WHERE id = '{member}'"));
        var verify = await CliRun.RunAsync(token, "verify", "--parent", City, "--child", District);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Theory]
    [InlineData("--table", "people", "--policy", "manual", "'people' is not a synced table")]
    [InlineData("--table", "members", "--policy", "newest", "'newest' is not a conflict policy")]
    [InlineData("--table", "members", "--policy", "manual", "--column", "phone", "--owner", "child", "field-authority")]
    [InlineData("--table", "members", "--policy", "field-authority", "--column", "mobile", "--owner", "child", "no column 'mobile'")]
    [InlineData("--table", "members", "--policy", "field-authority", "--column", "phone", "--owner", "Hub!", "'Hub!' is not a column owner")]
    [InlineData("--table", "members", "--policy", "merge-columns", "--fallback", "merge-columns", "cannot be a fallback")]
    [InlineData("--table", "members", "--policy", "child-wins", "--fallback", "parent-wins", "--fallback decides a column")]
    public async Task a_bad_policy_is_refused_with_exit_2_naming_what_is_wrong(params string[] arguments)
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, ["policy", "set", "--db", City, .. arguments[..^1]]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(arguments[^1], run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task field_authority_gives_a_contested_column_to_its_owner_and_merges_the_rest()
    {
        var token = TestContext.Current.CancellationToken;
        var set = await CliRun.RunAsync(token, "policy", "set", "--db", City, "--table", "members", "--policy", "field-authority", "--column", "phone", "--owner", "child", "--fallback", "parent-wins");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("field-authority", set.StandardOutput, StringComparison.Ordinal);
        var owner = await CliRun.RunAsync(token, "policy", "set", "--db", City, "--table", "members", "--policy", "field-authority", "--column", "status", "--owner", "parent");
        Assert.True(owner.ExitCode == 0, owner.ToString());
        var list = await CliRun.RunAsync(token, "policy", "list", "--db", City);
        Assert.Contains("field-authority", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fallback parent-wins, owners phone=child status=parent", list.StandardOutput, StringComparison.Ordinal);
        var json = JsonDocument.Parse((await CliRun.RunAsync(token, "policy", "list", "--db", City, "--json")).StandardOutput).RootElement;
        var members = json.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("table").GetString() == "members");
        Assert.Equal("child", members.GetProperty("owners").GetProperty("phone").GetString());

        var district = await ScalarAsync(_city, "SELECT id FROM organizations WHERE level = 2 AND id IN (SELECT s.parent_id FROM organizations s JOIN organizations g ON g.parent_id = s.id JOIN members m ON m.organization_id = g.id) ORDER BY id LIMIT 1");
        Assert.Equal(0, (await CliRun.RunAsync(token, "sync", "--parent", City, "--child", District, "--scope", district)).ExitCode);
        var member = await ScalarAsync(_district, "SELECT id FROM members ORDER BY id LIMIT 1");
        await ExecAsync(_city, $"UPDATE members SET phone = '13900000011', status = 'left', name = '市里的名字' WHERE id = '{member}'");
        await ExecAsync(_district, $"UPDATE members SET phone = '13900000012', status = 'transferred', skill_level = 5 WHERE id = '{member}'");

        var sync = await CliRun.RunAsync(token, "sync", "--parent", City, "--child", District, "--json");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(1, JsonDocument.Parse(sync.StandardOutput).RootElement.GetProperty("conflicts").GetInt64());

        foreach (var database in new[] { _city, _district })
        {
            Assert.Equal("13900000012|left|市里的名字|5", await ScalarAsync(database, $"SELECT phone || '|' || status || '|' || name || '|' || skill_level FROM members WHERE id = '{member}'"));
        }

        var listed = JsonDocument.Parse((await CliRun.RunAsync(token, "conflicts", "list", "--db", City, "--json")).StandardOutput).RootElement;
        var id = Assert.Single(listed.GetProperty("conflicts").EnumerateArray().ToList()).GetProperty("id").GetInt64();
        var show = await CliRun.RunAsync(token, "conflicts", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", City);
        Assert.Contains("phone changed on both sides, owned by child: the child's value", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the child's skill_level kept", show.StandardOutput, StringComparison.Ordinal);
        var verify = await CliRun.RunAsync(token, "verify", "--parent", City, "--child", District);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task an_unknown_conflict_id_is_bad_usage()
    {
        var show = await CliRun.RunAsync(TestContext.Current.CancellationToken, "conflicts", "show", "4711", "--db", City);
        var resolve = await CliRun.RunAsync(TestContext.Current.CancellationToken, "conflicts", "resolve", "4711", "--db", City, "--take", "sideways");
        var list = await CliRun.RunAsync(TestContext.Current.CancellationToken, "conflicts", "list", "--db", City);

        Assert.Equal(2, show.ExitCode);
        Assert.Contains("no conflict 4711", show.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, resolve.ExitCode);
        Assert.Contains("--take is parent or child", resolve.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("No conflicts", list.StandardOutput, StringComparison.Ordinal);
    }
}
