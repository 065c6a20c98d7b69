using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace UnionSync.Hub.Tests;

/// <summary>The built hub run as a process, the way DESIGN §6 promises: no configuration, or a bad one.</summary>
[Trait("db", "sqlite")]
public sealed class HubProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_configuration_the_hub_creates_its_sqlite_database_loads_the_demo_and_serves_the_api_and_restarts_without_reloading()
    {
        using var workingDirectory = new TempFolder();
        using var client = new HttpClient();

        string firstReported, secondReported;
        var firstStart = Stopwatch.StartNew();
        await using (var first = HubProcess.Start(workingDirectory.Path))
        {
            await first.WaitUntilHealthyAsync(client, StartTimeout, Token);
            firstStart.Stop();

            Assert.True(File.Exists(Path.Combine(workingDirectory.Path, "data", "hub.db")), "the default database is data/hub.db under the content root");
            var roots = await client.GetFromJsonAsync<JsonElement>(new Uri(first.BaseAddress, "/api/v1/organizations"), Token);
            var cityId = Assert.Single(roots.EnumerateArray()).GetProperty("id").GetGuid();
            var counts = await client.GetFromJsonAsync<JsonElement>(new Uri(first.BaseAddress, $"/api/v1/organizations/{cityId}/counts"), Token);
            Assert.InRange(counts.GetProperty("members").GetProperty("total").GetInt64(), 1_000, 5_000);

            Assert.Equal(0, await first.StopAsync(Token));
            Assert.Contains("Demo federation loaded", first.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"Hub listening on {first.BaseAddress.ToString().TrimEnd('/')}", first.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Data Source=", first.StandardOutput, StringComparison.OrdinalIgnoreCase);
            firstReported = Reported(first.StandardOutput);
        }

        var secondStart = Stopwatch.StartNew();
        await using (var second = HubProcess.Start(workingDirectory.Path))
        {
            await second.WaitUntilHealthyAsync(client, StartTimeout, Token);
            secondStart.Stop();

            var roots = await client.GetFromJsonAsync<JsonElement>(new Uri(second.BaseAddress, "/api/v1/organizations"), Token);
            Assert.Single(roots.EnumerateArray());
            Assert.Equal(0, await second.StopAsync(Token));
            Assert.Contains("already holds organisations", second.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Demo federation loaded", second.StandardOutput, StringComparison.Ordinal);
            secondReported = Reported(second.StandardOutput);
        }

        var report =
            $"Hub start on the embedded default, process start to /health Healthy: first start with demo load {firstStart.ElapsedMilliseconds} ms " +
            $"(hub's own log: {firstReported}), second start {secondStart.ElapsedMilliseconds} ms (hub's own log: {secondReported})";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
    }

    [Fact]
    public async Task With_an_unknown_provider_the_hub_exits_non_zero_with_one_line_naming_the_setting_and_no_stack_trace()
    {
        using var workingDirectory = new TempFolder();
        await using var hub = HubProcess.Start(
            workingDirectory.Path, new Dictionary<string, string> { ["UnionSync__Database__Provider"] = "oracle" });

        var exitCode = await hub.WaitForExitAsync(StartTimeout, Token);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(hub.StandardErrorLines, l => l.Length > 0);
        Assert.Contains("UnionSync:Database:Provider", line, StringComparison.Ordinal);
        Assert.Contains("oracle", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", hub.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", hub.Describe(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workingDirectory.Path, "data")), "nothing is created before the configuration is valid");
    }

    [Fact]
    public async Task With_an_unreachable_database_the_hub_exits_1_with_one_line_naming_the_setting_and_no_password()
    {
        using var workingDirectory = new TempFolder();
        await using var hub = HubProcess.Start(workingDirectory.Path, new Dictionary<string, string>
        {
            ["UnionSync__Database__Provider"] = "postgres",
            ["UnionSync__Database__ConnectionString"] = $"Host=127.0.0.1;Port={HubProcess.FreePort()};Username=hub;Password=not-for-output;Timeout=3",
        });

        var exitCode = await hub.WaitForExitAsync(StartTimeout, Token);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(hub.StandardErrorLines, l => l.Length > 0);
        Assert.Contains("UnionSync:Database:ConnectionString", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-output", hub.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", hub.Describe(), StringComparison.Ordinal);
    }

    /// <summary>What the hub logged about its own start: the demo load, if any, and the time since its process started.</summary>
    private static string Reported(string standardOutput) =>
        string.Join("; ", standardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Demo federation loaded", StringComparison.Ordinal) || l.StartsWith("Hub started in", StringComparison.Ordinal)));
}
