using Npgsql;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>
/// PostgreSQL's local writes go to the change log (<c>unionsync_changes</c>) and are folded into the tracking rows before a
/// snapshot or an apply reads them (docs/sync-engine.md §3): what the fold must get right.
/// </summary>
[Trait("db", "postgres")]
public sealed class A_postgres_change_log(PostgresServerFixture server)
{
    private static readonly Guid Peer = Guid.Parse("0190a000-0000-7000-8000-0000000000cc");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TableDescription Members => SyncTables.Members;

    [Fact]
    public async Task a_plain_update_only_appends_and_the_next_snapshot_ships_one_change_per_row_above_its_previous_version()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        var node = await db.Provider.Tracking.ProvisionAsync(Token);
        var member = await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);

        await RenameAsync(db, member, "first");
        var (watermark, first) = await db.ReadChangesAsync(Members, 0, Token);
        var before = Assert.Single(first).Origin!.Value;

        // Three writes between two snapshots, the node's clock set three days back after the first: one change, later than
        // the one shipped before, carrying the last write's values.
        await db.ExecuteAsync("UPDATE unionsync_node SET clock_offset_ms = -259200000", Token);
        foreach (var name in new[] { "second", "third", "fourth" })
        {
            await RenameAsync(db, member, name);
        }

        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking", Token));
        var (_, second) = await db.ReadChangesAsync(Members, watermark, Token);
        var change = Assert.Single(second);
        Assert.Equal(node, change.Origin!.Value.Node);
        Assert.True(change.Origin.Value.Version > before.Version, $"the folded version ({change.Origin.Value.Version}) is not above the one shipped before ({before.Version})");
        Assert.Equal("fourth", change.Values![Members.IndexOf("name")]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
    }

    [Fact]
    public async Task a_local_write_committed_before_an_apply_of_the_same_row_is_folded_under_it()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var member = await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        var row = await A_postgres_apply_transaction.ReadRowAsync(db, Members, member);

        await RenameAsync(db, member, "written here");
        row[Members.IndexOf("name")] = "from the peer";
        var origin = new VersionIdentity(Peer, 42);
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            var current = await apply.ReadCurrentAsync(Members, [member], Token);
            Assert.Equal(await db.Provider.Tracking.GetNodeIdAsync(Token), current[member].Identity!.Value.Node);
            await apply.ApplyAsync(Members, [new RowChange { Table = Members, Key = member, Kind = ChangeKind.Upsert, Values = row, Origin = origin }], Peer, Token);
            await apply.CommitAsync(Token);
        }

        // The log holds nothing of the row any more, so no later fold can put the local write over the applied row.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
        var (_, changes) = await db.ReadChangesAsync(Members, 0, Token);
        var change = Assert.Single(changes);
        Assert.Equal((VersionIdentity?)origin, change.Origin);
        Assert.Equal("from the peer", change.Values![Members.IndexOf("name")]);
    }

    [Fact]
    public async Task a_row_removed_locally_with_a_local_edit_still_in_the_log_leaves_no_change_behind()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var member = await db.AnyAsync("SELECT member_id FROM service_cards ORDER BY id LIMIT 1", Token);
        var card = await db.ScalarAsync<Guid>("SELECT id FROM service_cards WHERE member_id = @id ORDER BY id LIMIT 1", Token, ("id", member));

        // The member's card edited here, then the member moved out of this node's scope at the parent: removed with its cards.
        await db.ExecuteAsync("UPDATE service_cards SET status = 'lost' WHERE id = @id", Token, ("id", card));
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(Members, [member], Token);
            await apply.CommitAsync(Token);
        }

        // Not a delete of this node's: neither the card nor the member travels as a tombstone.
        var (_, cards) = await db.ReadChangesAsync(SyncTables.ServiceCards, 0, Token);
        Assert.Empty(cards);
        var (_, members) = await db.ReadChangesAsync(Members, 0, Token);
        Assert.Empty(members);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
    }

    [Fact]
    public async Task a_local_delete_still_in_the_log_is_a_tombstone_that_the_removal_passes_on_to_children()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var card = await db.AnyAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token);
        var organization = await db.ScalarAsync<Guid>(
            "SELECT m.organization_id FROM service_cards c JOIN members m ON m.id = c.member_id WHERE c.id = @id", Token, ("id", card));

        await db.ExecuteAsync("DELETE FROM service_cards WHERE id = @id", Token, ("id", card));
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.ServiceCards, [card], Token);
            await apply.CommitAsync(Token);
        }

        var move = Assert.Single(await ReadMovesAsync(db));
        Assert.Equal((card, (Guid?)organization, (Guid?)null), (move.Key, move.FromOrganization, move.ToOrganization));
    }

    [Fact]
    public async Task a_snapshot_does_not_wait_behind_a_transaction_holding_a_tracking_row_and_the_next_one_ships_the_write()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var member = await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        await RenameAsync(db, member, "first");
        var (watermark, first) = await db.ReadChangesAsync(Members, 0, Token);
        var before = Assert.Single(first).Origin!.Value;

        // Another transaction holds the member's tracking row (as an apply writing it does) while the member is edited here.
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync(Token);
        await using var held = await holder.BeginTransactionAsync(Token);
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM unionsync_tracking WHERE tbl = 2 AND id = @id FOR UPDATE", holder, held))
        {
            hold.Parameters.AddWithValue("id", member);
            Assert.Equal(1, await hold.ExecuteScalarAsync(Token));
        }

        await RenameAsync(db, member, "second");

        // The fold gives up after its lock timeout: the snapshot goes on without the write, which stays in the log. (Other
        // tests' transactions on the server can hold the watermark back, so the first change may be shipped again: only
        // with the version it had.)
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var (during, skipped) = await db.ReadChangesAsync(Members, watermark, Token);
        waited.Stop();
        Assert.All(skipped, change => Assert.Equal(before, change.Origin));
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));

        // Once the row is free, the next snapshot folds it, above the watermark of the one that skipped it.
        await held.RollbackAsync(Token);
        var (_, shipped) = await db.ReadChangesAsync(Members, during, Token);
        var change = Assert.Single(shipped);
        Assert.True(change.Origin!.Value.Version > before.Version, $"the folded version ({change.Origin.Value.Version}) is not above the first ({before.Version})");
        Assert.Equal("second", change.Values![Members.IndexOf("name")]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_changes", Token));
    }

    private static async Task RenameAsync(PostgresTrackingDatabase db, Guid member, string name) =>
        Assert.Equal(1, await db.ExecuteAsync("UPDATE members SET name = @name WHERE id = @id", Token, ("name", name), ("id", member)));

    private static async Task<List<ScopeMove>> ReadMovesAsync(PostgresTrackingDatabase db)
    {
        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var moves = new List<ScopeMove>();
        await foreach (var move in snapshot.ReadMovesAsync(0, Token))
        {
            moves.Add(move);
        }

        return moves;
    }
}
