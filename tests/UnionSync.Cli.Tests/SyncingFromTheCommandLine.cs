using static UnionSync.Cli.Tests.PlainSqlite;
using System.Text.Json;
using UnionSync.Testing;

namespace UnionSync.Cli.Tests;

public sealed class SyncingFromTheCommandLine : IAsyncLifetime
{
    private readonly TempSqliteDatabase _city = new("cli-city");
    private readonly TempSqliteDatabase _district = new("cli-district");
    private readonly TempSqliteDatabase _grassroots = new("cli-grassroots");

    private string City => "sqlite:" + _city.ConnectionString;

    private string District => "sqlite:" + _district.ConnectionString;

    private string Grassroots => "sqlite:" + _grassroots.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "generate", "--db", City, "--members", "1500", "--seed", "4");
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _grassroots.DisposeAsync();
        await _district.DisposeAsync();
        await _city.DisposeAsync();
    }

    [Fact]
    public async Task a_district_and_a_grassroots_node_below_it_sync_edits_at_all_three_and_verify_equal()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var district = await ScalarAsync(_city, "SELECT d.id FROM organizations d WHERE d.level = 2 AND EXISTS (SELECT 1 FROM organizations s JOIN organizations g ON g.parent_id = s.id JOIN members m ON m.organization_id = g.id WHERE s.parent_id = d.id) ORDER BY d.id LIMIT 1");
        var grassroots = await ScalarAsync(_city, $"SELECT g.id FROM organizations g JOIN organizations s ON s.id = g.parent_id WHERE s.parent_id = '{district}' AND EXISTS (SELECT 1 FROM members m WHERE m.organization_id = g.id) ORDER BY g.id LIMIT 1");

        var first = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", district);
        var below = await CliRun.RunAsync(cancellationToken, "sync", "--parent", District, "--child", Grassroots, "--scope", grassroots);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(below.ExitCode == 0, below.ToString());
        Assert.Contains("rows down", first.StandardOutput, StringComparison.Ordinal);

        await ExecAsync(_city, $"UPDATE members SET name = '市里改的' WHERE id = (SELECT id FROM members WHERE organization_id = '{grassroots}' ORDER BY id LIMIT 1)");
        await ExecAsync(_district, $"UPDATE members SET name = '区里改的' WHERE id = (SELECT id FROM members WHERE organization_id = '{grassroots}' ORDER BY id LIMIT 1 OFFSET 1)");
        await ExecAsync(_grassroots, $"UPDATE members SET skill_level = 5 WHERE organization_id = '{grassroots}' AND id NOT IN (SELECT id FROM members WHERE organization_id = '{grassroots}' ORDER BY id LIMIT 2)");

        foreach (var (parent, child) in new[] { (District, Grassroots), (City, District), (District, Grassroots) })
        {
            var run = await CliRun.RunAsync(cancellationToken, "sync", "--parent", parent, "--child", child);
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        var top = await CliRun.RunAsync(cancellationToken, "verify", "--parent", City, "--child", District);
        var bottom = await CliRun.RunAsync(cancellationToken, "verify", "--parent", District, "--child", Grassroots);
        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.True(bottom.ExitCode == 0, bottom.ToString());
        Assert.Equal("0", await ScalarAsync(_city, $"SELECT COUNT(*) FROM members WHERE organization_id = '{grassroots}' AND skill_level <> 5 AND id NOT IN (SELECT id FROM members WHERE organization_id = '{grassroots}' ORDER BY id LIMIT 2)"));
        Assert.Equal("0", await ScalarAsync(_city, "SELECT COUNT(*) FROM unionsync_conflicts"));
        Assert.Equal("1", await ScalarAsync(_grassroots, "SELECT COUNT(*) FROM members WHERE name = '市里改的'"));
        Assert.Equal("1", await ScalarAsync(_grassroots, "SELECT COUNT(*) FROM members WHERE name = '区里改的'"));
    }

    [Fact]
    public async Task verify_lists_the_differences_and_exits_1_without_printing_values()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var district = await ScalarAsync(_city, "SELECT id FROM organizations WHERE level = 2 ORDER BY id LIMIT 1");
        var sync = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", district, "--json");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var idNumber = await ScalarAsync(_district, "SELECT id_number FROM members ORDER BY id LIMIT 1");
        await ExecAsync(_district, "UPDATE members SET name = '悄悄改的' WHERE id = (SELECT id FROM members ORDER BY id LIMIT 1)");

        var run = await CliRun.RunAsync(cancellationToken, "verify", "--parent", City, "--child", District);
        var json = await CliRun.RunAsync(cancellationToken, "verify", "--parent", City, "--child", District, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("columns name", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("悄悄改的", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(idNumber[^4..], run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.False(document.RootElement.GetProperty("equal").GetBoolean());
        Assert.Equal(1, document.RootElement.GetProperty("differences").GetInt64());
    }

    [Fact]
    public async Task with_json_prints_one_object_with_the_summary()
    {
        var district = await ScalarAsync(_city, "SELECT id FROM organizations WHERE level = 2 ORDER BY id LIMIT 1");

        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "sync", "--parent", City, "--child", District, "--scope", district, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(district, json.RootElement.GetProperty("scope").GetString());
        Assert.True(json.RootElement.GetProperty("initialLoad").GetBoolean());
        Assert.True(json.RootElement.GetProperty("rowsDown").GetInt64() > 0);
        Assert.Equal(0, json.RootElement.GetProperty("rowsUp").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("conflicts").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("removalsByScopeMove").GetInt64());
        Assert.True(json.RootElement.TryGetProperty("elapsedSeconds", out _));
    }

    [Fact]
    public async Task a_first_sync_without_scope_or_with_a_bad_or_different_scope_exits_2_naming_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var districts = await ScalarsAsync(_city, "SELECT id FROM organizations WHERE level = 2 ORDER BY id LIMIT 2");

        var none = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District);
        var bad = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", "not-a-uuid");
        var unknown = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", Guid.NewGuid().ToString());
        var first = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", districts[0]);
        var other = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", districts[1], "--json");

        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("--scope", none.StandardError, StringComparison.Ordinal);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("not-a-uuid", bad.StandardError, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("does not exist", unknown.StandardError, StringComparison.Ordinal);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains(districts[0], other.StandardError, StringComparison.Ordinal);
        Assert.Contains(districts[1], other.StandardError, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(other.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.DoesNotContain("   at ", other.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_row_written_outside_the_childs_scope_exits_1_naming_table_and_scope()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var district = await ScalarAsync(_city, "SELECT d.id FROM organizations d WHERE d.level = 2 ORDER BY d.id LIMIT 1");
        var city = await ScalarAsync(_city, "SELECT id FROM organizations WHERE level = 1");
        Assert.Equal(0, (await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District, "--scope", district)).ExitCode);
        await ExecAsync(_district,
            "INSERT INTO members (id, organization_id, name, id_number, join_date, status, migrant_worker, skill_level, created_at, updated_at) " +
            $"VALUES ('{Guid.NewGuid():D}', '{city}', '越界', '110105199001011234', '2025-01-01', 'active', 0, 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')");

        var run = await CliRun.RunAsync(cancellationToken, "sync", "--parent", City, "--child", District);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("members", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(district, run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("110105199001011234", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_first_sync_without_a_scope_exits_2_and_leaves_the_parent_unprovisioned()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "sync", "--parent", City, "--child", District);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--scope", run.StandardError, StringComparison.Ordinal);
        Assert.Equal("0", await ScalarAsync(_city, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'unionsync%' AND name <> 'unionsync_schema_version'"));
    }

    [Fact]
    public async Task verify_of_a_child_that_never_synced_exits_2()
    {
        var run = await CliRun.RunAsync(TestContext.Current.CancellationToken, "verify", "--parent", City, "--child", District);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("never synced", run.StandardError, StringComparison.Ordinal);
    }
}
