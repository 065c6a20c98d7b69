using System.Net;

namespace UnionSync.Hub.Tests;

[Trait("db", "sqlite")]
public sealed class HubRestartTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_start_on_the_same_database_does_not_reload_the_demo_federation()
    {
        using var folder = new TempFolder();
        var connectionString = $"Data Source={Path.Combine(folder.Path, "hub.db")}";

        long membersAfterFirst;
        await using (var first = new HubApplication("sqlite", connectionString))
        {
            using var client = first.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative), Token)).StatusCode);
            Assert.True(first.Logs.Logged(HubEvents.DemoFederationLoaded));
            membersAfterFirst = await DirectSql.ScalarAsync(first.Database.DataSource, "SELECT COUNT(*) FROM members", Token);
        }

        await using var second = new HubApplication("sqlite", connectionString);
        using var secondClient = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync(new Uri("/health", UriKind.Relative), Token)).StatusCode);

        Assert.True(second.Logs.Logged(HubEvents.DemoFederationNotNeeded));
        Assert.False(second.Logs.Logged(HubEvents.DemoFederationLoaded));
        Assert.Equal(membersAfterFirst, await DirectSql.ScalarAsync(second.Database.DataSource, "SELECT COUNT(*) FROM members", Token));
        Assert.Equal(1, await DirectSql.ScalarAsync(second.Database.DataSource, "SELECT COUNT(*) FROM organizations WHERE parent_id IS NULL", Token));
    }

    [Fact]
    public async Task The_log_names_the_database_but_never_its_connection_string()
    {
        using var folder = new TempFolder();
        var connectionString = $"Data Source={Path.Combine(folder.Path, "hub.db")};Default Timeout=29";

        await using var hub = new HubApplication("sqlite", connectionString);
        using var client = hub.CreateClient();
        await client.GetAsync(new Uri("/health", UriKind.Relative), Token);

        Assert.True(hub.Logs.Logged(HubEvents.DatabaseOpening));
        Assert.All(hub.Logs.Entries, e => Assert.DoesNotContain("Default Timeout", e.Message, StringComparison.OrdinalIgnoreCase));
        Assert.All(hub.Logs.Entries, e => Assert.DoesNotContain("Data Source=", e.Message, StringComparison.OrdinalIgnoreCase));
    }
}
