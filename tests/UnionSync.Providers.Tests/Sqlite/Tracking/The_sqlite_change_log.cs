using UnionSync.Providers.Sqlite.Tracking;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>
/// Local writes are appended to <c>unionsync_changes</c> and folded into the tracking rows before anything reads them
/// (Tracking/SqliteChangeLog.cs): the fold must hand out what the triggers used to, whatever piled up in between.
/// </summary>
[Trait("db", "sqlite")]
public sealed class The_sqlite_change_log
{
    private const long ThreeDaysMs = 3L * 24 * 60 * 60 * 1000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_write_is_only_appended_and_the_fold_tracks_it_and_empties_the_log()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);

        await db.ExecuteRawAsync("UPDATE members SET skill_level = 1 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 10)", Token);

        Assert.Equal(10, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        await db.SettleAsync(Token);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(10, await db.CountAsync("SELECT count(*) FROM unionsync_tracking WHERE tbl = 2 AND deleted = 0 AND origin_node_no = 1", Token));
    }

    [Fact]
    public async Task writes_piled_up_across_a_clock_step_back_are_folded_into_strictly_increasing_clock_versions()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var members = await IdsAsync(db, "SELECT id FROM members ORDER BY id LIMIT 22");

        // One write three days ahead, twenty after the clock was corrected by six days, and one statement over three rows:
        // nothing folded in between. Each version must be above the one before it, in write order, and the first at
        // least the clock it was written at.
        await db.ExecuteRawAsync($"UPDATE unionsync_node SET clock_offset_ms = {ThreeDaysMs}", Token);
        var before = NowMs();
        await db.ExecuteRawAsync($"UPDATE members SET name = 'ahead' WHERE id = '{members[0]}'", Token);
        await db.ExecuteRawAsync($"UPDATE unionsync_node SET clock_offset_ms = {-ThreeDaysMs}", Token);
        for (var i = 1; i <= 18; i++)
        {
            await db.ExecuteRawAsync($"UPDATE members SET name = 'behind {i}' WHERE id = '{members[i]}'", Token);
        }

        await db.ExecuteRawAsync($"UPDATE members SET name = 'together' WHERE id IN ('{members[19]}', '{members[20]}', '{members[21]}')", Token);
        Assert.Equal(22, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        await db.SettleAsync(Token);

        var versions = new List<long>();
        foreach (var member in members)
        {
            versions.Add(await db.CountAsync($"SELECT origin_version FROM unionsync_tracking WHERE tbl = 2 AND id = '{member}'", Token));
        }

        for (var i = 1; i <= 18; i++)
        {
            Assert.True(versions[i] > versions[i - 1], $"write {i} got {versions[i]}, not above write {i - 1}'s {versions[i - 1]}");
        }

        // The statement's three rows share one clock reading: consecutive versions, all above the writes before them.
        var together = versions[19..];
        Assert.True(together.Min() > versions[18], $"the last statement's versions start at {together.Min()}, not above {versions[18]}");
        Assert.Equal(2, together.Max() - together.Min());
        Assert.Equal(3, together.Distinct().Count());
        Assert.True(versions[0] >> 16 >= before + ThreeDaysMs - 5, $"the first write's clock part {versions[0] >> 16} is below the clock it was written at");
        Assert.Equal(together.Max(), await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token));
    }

    [Fact]
    public async Task writes_pending_at_an_upgrade_from_version_6_keep_the_clock_offset_they_were_written_with()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var member = await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);

        // Version 6's triggers logged the wall clock with the offset already added; the fold now adds it.
        await db.ExecuteRawAsync($"UPDATE unionsync_node SET clock_offset_ms = {ThreeDaysMs}", Token);
        var before = NowMs();
        await db.ExecuteRawAsync($"UPDATE members SET name = 'ahead' WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"UPDATE unionsync_changes SET wall_ms = wall_ms + {ThreeDaysMs}; UPDATE unionsync_node SET schema_version = 6", Token);

        await db.Provider.Tracking.ProvisionAsync(Token);
        await db.SettleAsync(Token);

        Assert.Equal(SyncMetadataVersion.Current, await db.CountAsync("SELECT schema_version FROM unionsync_node", Token));
        var clock = await db.CountAsync($"SELECT origin_version FROM unionsync_tracking WHERE tbl = 2 AND id = '{member}'", Token) >> 16;
        Assert.InRange(clock, before + ThreeDaysMs - 5, NowMs() + ThreeDaysMs);
    }

    [Fact]
    public async Task a_reinitialise_clears_and_reloads_without_logging_a_row_and_leaves_the_triggers_as_they_were()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        const string TriggersSql = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name)";
        var triggers = await db.TextAsync(TriggersSql, Token);
        var root = Guid.Parse(await db.TextAsync("SELECT id FROM organizations WHERE parent_id IS NULL", Token));
        var organizations = new List<RowChange>();
        await using (var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Organizations, RowSelection.Subtree(root), Token))
            {
                organizations.Add(row);
            }
        }

        // The clear deletes every row and the reload inserts them again: the append triggers are set aside, not fired.
        await using (var reinitialisation = await db.Provider.Retention.BeginReinitialiseAsync(Token))
        {
            Assert.True(await reinitialisation.ClearAsync(Guid.CreateVersion7(), 0, Token));
        }

        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM members", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(triggers, await db.TextAsync(TriggersSql, Token));
        await using (var reload = await db.Provider.Retention.BeginReloadAsync(Token))
        {
            await using (var writer = await reload.OpenTableAsync(SyncTables.Organizations, Token))
            {
                foreach (var row in organizations)
                {
                    await writer.WriteAsync(row.Values!, Token);
                }

                Assert.Equal(organizations.Count, await writer.CompleteAsync(Token));
            }

            await reload.CommitAsync(Token);
        }

        Assert.Equal(organizations.Count, await db.CountAsync("SELECT count(*) FROM organizations", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(triggers, await db.TextAsync(TriggersSql, Token));

        // And they capture the next local write.
        await db.ExecuteRawAsync($"UPDATE organizations SET name = 'renamed' WHERE id = '{root:D}'", Token);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
    }

    [Fact]
    public async Task the_append_triggers_set_aside_are_the_twelve_that_append_and_come_back_as_they_were()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 50, provision: true, Token);
        const string AppendTriggers =
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND (name LIKE '%\\_ai' ESCAPE '\\' OR name LIKE '%\\_au' ESCAPE '\\' " +
            "OR name LIKE '%\\_ad' ESCAPE '\\' OR name LIKE '%\\_ak' ESCAPE '\\')";
        await using var connection = await db.OpenRawAsync(Token);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = AppendTriggers;
        Assert.Equal(12L, await count.ExecuteScalarAsync(Token));

        var definitions = await SqliteAppendTriggers.SetAsideAsync(connection, transaction, Token);

        Assert.Equal(12, definitions.Count);
        Assert.Equal(0L, await count.ExecuteScalarAsync(Token));
        await SqliteAppendTriggers.RestoreAsync(connection, transaction, definitions, Token);
        Assert.Equal(12L, await count.ExecuteScalarAsync(Token));
    }

    [Fact]
    public async Task a_row_written_deleted_and_inserted_again_before_the_fold_keeps_its_last_state()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var member = await db.TextAsync(
            "SELECT id FROM members AS m WHERE NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY id LIMIT 1", Token);
        var other = await db.TextAsync(
            "SELECT id FROM members AS m WHERE NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY id LIMIT 1 OFFSET 1", Token);
        var organization = await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{other}'", Token);

        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 3 WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"CREATE TEMP TABLE kept AS SELECT * FROM members WHERE id = '{member}'; DELETE FROM members WHERE id = '{member}'; INSERT INTO members SELECT * FROM kept", Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 2 WHERE id = '{other}'; DELETE FROM members WHERE id = '{other}'", Token);

        var changes = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token);

        Assert.Equal(ChangeKind.Upsert, Assert.Single(changes, c => c.Key == Guid.Parse(member)).Kind);
        var tombstone = Assert.Single(changes, c => c.Key == Guid.Parse(other));
        Assert.Equal(ChangeKind.Delete, tombstone.Kind);
        Assert.Equal(Guid.Parse(organization), tombstone.ScopeOrganization);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
    }

    [Fact]
    public async Task an_apply_transaction_folds_first_so_a_pending_local_write_is_seen_as_this_nodes_change()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var member = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var node = await db.Provider.Tracking.GetNodeIdAsync(Token);
        await db.ExecuteRawAsync($"UPDATE members SET phone = '13900000001' WHERE id = '{member:D}'", Token);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            var current = await apply.ReadCurrentAsync(SyncTables.Members, [member], Token);
            Assert.Equal(node, current[member].Identity!.Value.Node);
            Assert.Equal("13900000001", current[member].Values![SyncTables.Members.IndexOf("phone")]);
        }

        // Rolled back (no commit), the fold goes with it: the write is still logged, not lost.
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.CommitAsync(Token);
        }

        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM unionsync_tracking WHERE tbl = 2 AND id = '{member:D}' AND origin_node_no = 1", Token));
    }

    [Fact]
    public async Task base_rows_are_captured_by_a_trigger_that_exists_only_while_the_table_is_captured()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var member = await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        const string Trigger = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'unionsync_members_bc'";

        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 1 WHERE id = '{member}'", Token);
        Assert.Equal(0, await db.CountAsync(Trigger, Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_base_members", Token));

        await db.Provider.Tracking.SetBaseCaptureAsync(["members"], Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 2 WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 3 WHERE id = '{member}'", Token);
        Assert.Equal(1, await db.CountAsync(Trigger, Token));
        Assert.Equal(1, await db.CountAsync($"SELECT skill_level FROM unionsync_base_members WHERE id = '{member}'", Token));

        // Provisioning again (an upgrade does) keeps the trigger of a captured table.
        await db.Provider.Tracking.ProvisionAsync(Token);
        Assert.Equal(1, await db.CountAsync(Trigger, Token));

        await db.Provider.Tracking.SetBaseCaptureAsync([], Token);
        Assert.Equal(0, await db.CountAsync(Trigger, Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_base_members", Token));
    }

    private static long NowMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    private static async Task<List<string>> IdsAsync(TrackedSqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenRawAsync(Token);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
