using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>Measures (prints, does not assert) what the statement triggers cost a bulk UPDATE of 10,000 members.</summary>
[Trait("db", "postgres")]
[Trait("kind", "measure")]
public sealed class Postgres_trigger_overhead(PostgresServerFixture server)
{
    private const string UpdateSql =
        "UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 10000)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_plain_update_of_ten_thousand_members_with_and_without_tracking()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 30_000, Token);
        await db.ExecuteAsync("VACUUM ANALYZE members", Token);

        // Alternate untracked and tracked rounds, vacuuming before each statement, so that bloat and noise hit both alike.
        var untracked = new List<TimeSpan>();
        var tracked = new List<TimeSpan>();
        await TimeAsync(db, untracked);
        for (var round = 0; round < 3; round++)
        {
            await TimeAsync(db, untracked);
            await db.Provider.Tracking.ProvisionAsync(Token);
            await TimeAsync(db, tracked);
            await db.Provider.Tracking.DeprovisionAsync(Token);
        }

        await db.Provider.Tracking.ProvisionAsync(Token);
        var shares = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            shares.Add(await TriggerRatioAsync(db));
        }

        shares.Sort();
        var without = Median(untracked);
        var with = Median(tracked);

        var ratio = with.TotalMilliseconds / without.TotalMilliseconds;
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"UPDATE of 10,000 members: {without.TotalMilliseconds:F1} ms untracked, {with.TotalMilliseconds:F1} ms tracked, ratio {ratio:F2}x (target <= 1.5x); " +
            $"server-side, within one statement, execution / (execution - tracking triggers) = {shares[shares.Count / 2]:F2}x");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);

        // The triggers appended to the change log; the next snapshot folds it into one tracking row per member changed.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes WHERE tbl = 2", Token) >= 10_000L);
        await (await db.Provider.Changes.OpenSnapshotAsync(Token)).DisposeAsync();
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(10_000L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking WHERE tbl = 2", Token));
    }

    private static async Task TimeAsync(PostgresTrackingDatabase db, List<TimeSpan> times)
    {
        for (var i = 0; i < 3; i++)
        {
            await db.ExecuteAsync("VACUUM members", Token);
            var clock = Stopwatch.StartNew();
            await db.ExecuteAsync(UpdateSql, Token);
            times.Add(clock.Elapsed);
        }
    }

    /// <summary>
    /// One EXPLAIN ANALYZE of the update: its execution time over the same time less the tracking triggers' time. Both parts
    /// run under the same load, so this ratio is steadier than two timings taken apart on a busy machine.
    /// </summary>
    private static async Task<double> TriggerRatioAsync(PostgresTrackingDatabase db)
    {
        await db.ExecuteAsync("VACUUM members", Token);
        var plan = await db.ScalarAsync<string>("EXPLAIN (ANALYZE, FORMAT JSON) " + UpdateSql, Token);
        using var json = JsonDocument.Parse(plan);
        var root = json.RootElement[0];
        var execution = root.GetProperty("Execution Time").GetDouble();
        var triggers = root.GetProperty("Triggers").EnumerateArray()
            .Where(t => t.GetProperty("Trigger Name").GetString()!.StartsWith("unionsync_", StringComparison.Ordinal))
            .Sum(t => t.GetProperty("Time").GetDouble());
        Assert.True(triggers > 0, "the tracking trigger ran");
        return execution / (execution - triggers);
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }
}
