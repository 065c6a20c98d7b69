using System.Diagnostics;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>Deprovisioning leaves no trace and no data loss; provisioning again starts a new node; the cost of the triggers.</summary>
[Trait("db", "sqlite")]
public sealed class A_deprovisioned_sqlite_database
{
    private const string SyncObjects =
        "SELECT count(*) FROM sqlite_master WHERE (name LIKE '%unionsync%' OR tbl_name LIKE 'unionsync%') AND tbl_name <> 'unionsync_schema_version'";

    private const int SingleRowWrites = 500;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task has_no_sync_object_left_keeps_its_data_and_can_be_provisioned_again()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var first = await db.Provider.Tracking.GetNodeIdAsync(Token);
        await db.ExecuteRawAsync("UPDATE members SET skill_level = 0 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 10)", Token);
        await db.Provider.Metadata.SavePeerAsync(new(Guid.CreateVersion7(), Sync.Providers.PeerRole.Child, Guid.CreateVersion7(), 1, 2, 1), Token);
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RecordBatchAsync(new BatchId(Guid.CreateVersion7(), SyncDirection.Download, 0), Token);
            await apply.CommitAsync(Token);
        }

        var counts = await CountRowsAsync(db);
        Assert.True(await db.CountAsync(SyncObjects, Token) >= 24);

        await db.Provider.Tracking.DeprovisionAsync(Token);

        Assert.Equal(0, await db.CountAsync(SyncObjects, Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", Token));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM sqlite_master WHERE name = 'unionsync_schema_version'", Token));
        Assert.Equal(counts, await CountRowsAsync(db));
        Assert.False(await db.Provider.Tracking.IsProvisionedAsync(Token));
        await Assert.ThrowsAsync<Sync.Errors.SyncConfigurationException>(() => db.Provider.Tracking.GetNodeIdAsync(Token));

        // Writes while unprovisioned are not captured; after provisioning again they are, under a new node id.
        await db.ExecuteRawAsync("UPDATE members SET skill_level = 1 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 5)", Token);
        var second = await db.Provider.Tracking.ProvisionAsync(Token);
        Assert.NotEqual(first, second);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        await db.ExecuteRawAsync("DELETE FROM service_cards WHERE id IN (SELECT id FROM service_cards ORDER BY id LIMIT 1)", Token);
        var change = Assert.Single(await db.ReadChangesAsync(new ChangeQuery(SyncTables.ServiceCards, 0, null, null), Token));
        Assert.Equal(second, change.Origin!.Value.Node);
        Assert.Equal(ChangeKind.Delete, change.Kind);
    }

    [Fact]
    public async Task trigger_overhead_on_a_bulk_update_of_10k_members_is_measured()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 10_000, provision: false, Token);
        var members = await db.CountAsync("SELECT count(*) FROM members", Token);
        var plain = await TimeUpdatesAsync(db, 0);
        var plainSingles = await TimeSingleRowTransactionsAsync(db);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var tracked = await TimeUpdatesAsync(db, 10);
        await db.SettleAsync(Token);

        // Every row tracked once, once the log is folded; the last statement gave its rows consecutive versions (its clock
        // reading is fixed, so the counter part counts on). Each one-row transaction then hands out at least one more.
        Assert.Equal(members, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(members - 1, await db.CountAsync("SELECT max(version) - min(version) FROM unionsync_tracking", Token));
        var before = await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token);
        var trackedSingles = await TimeSingleRowTransactionsAsync(db);
        await db.SettleAsync(Token);
        Assert.True(await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token) >= before + SingleRowWrites);
        var report = FormattableString.Invariant(
            $"One UPDATE of {members} members: {plain.TotalMilliseconds:F1} ms without tracking, {tracked.TotalMilliseconds:F1} ms with (best of 3); ratio {tracked / plain:F2}x. ") +
            FormattableString.Invariant(
            $"{SingleRowWrites} one-row UPDATE transactions: {plainSingles.TotalMilliseconds:F1} ms without, {trackedSingles.TotalMilliseconds:F1} ms with; ratio {trackedSingles / plainSingles:F2}x.");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
    }

    private static async Task<TimeSpan> TimeUpdatesAsync(TrackedSqliteDatabase db, int offset)
    {
        await using var connection = await db.OpenRawAsync(Token);
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE members SET skill_level = {(offset + round) % 6}";
            var clock = Stopwatch.StartNew();
            await command.ExecuteNonQueryAsync(Token);
            clock.Stop();
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return best;
    }

    private static async Task<TimeSpan> TimeSingleRowTransactionsAsync(TrackedSqliteDatabase db)
    {
        await using var connection = await db.OpenRawAsync(Token);
        var ids = new List<string>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = $"SELECT id FROM members ORDER BY id LIMIT {SingleRowWrites}";
            await using var reader = await select.ExecuteReaderAsync(Token);
            while (await reader.ReadAsync(Token))
            {
                ids.Add(reader.GetString(0));
            }
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE id = @id";
        var id = command.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        var clock = Stopwatch.StartNew();
        foreach (var value in ids)
        {
            id.Value = value;
            await command.ExecuteNonQueryAsync(Token);
        }

        return clock.Elapsed;
    }

    private static async Task<(long Organizations, long Members, long Cards)> CountRowsAsync(TrackedSqliteDatabase db) =>
        (await db.CountAsync("SELECT count(*) FROM organizations", Token),
         await db.CountAsync("SELECT count(*) FROM members", Token),
         await db.CountAsync("SELECT count(*) FROM service_cards", Token));
}
