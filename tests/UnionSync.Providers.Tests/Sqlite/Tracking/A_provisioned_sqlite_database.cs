using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>Change capture by triggers: any writer of the file, a logical counter, tombstones with their scope, the move log.</summary>
[Trait("db", "sqlite")]
public sealed class A_provisioned_sqlite_database
{
    private const string Now = "2026-02-01T09:00:00Z";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task provisioning_over_existing_rows_writes_no_tracking_row_and_is_idempotent()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 2_000, provision: false, Token);
        Assert.False(await db.Provider.Tracking.IsProvisionedAsync(Token));

        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);

        Assert.True(await db.Provider.Tracking.IsProvisionedAsync(Token));
        Assert.Equal(7, nodeId.Version);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_moves", Token));
        Assert.Equal(nodeId, await db.Provider.Tracking.ProvisionAsync(Token));
        Assert.Equal(nodeId, await db.Provider.Tracking.GetNodeIdAsync(Token));
        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        Assert.Equal(0, snapshot.Watermark);
        Assert.Equal(nodeId, snapshot.NodeId);
    }

    [Fact]
    public async Task an_insert_update_and_delete_by_a_plain_connection_are_captured_with_a_tombstone()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var nodeId = await db.Provider.Tracking.GetNodeIdAsync(Token);
        var parent = await db.TextAsync("SELECT id FROM organizations WHERE level = 3 ORDER BY id LIMIT 1", Token);
        var member = await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token);
        var card = await db.TextAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token);
        var cardOrganization = await db.TextAsync(
            $"SELECT m.organization_id FROM service_cards AS c JOIN members AS m ON m.id = c.member_id WHERE c.id = '{card}'", Token);
        var newOrganization = Guid.CreateVersion7();

        await db.ExecuteRawAsync(
            $"INSERT INTO organizations VALUES ('{newOrganization:D}', '{parent}', 4, '新建基层工会', NULL, '110105', 'active', '{Now}', '{Now}')", Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 5, updated_at = '{Now}' WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"DELETE FROM service_cards WHERE id = '{card}'", Token);

        var organizations = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Organizations, 0, null, null), Token);
        var members = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token);
        var cards = await db.ReadChangesAsync(new ChangeQuery(SyncTables.ServiceCards, 0, null, null), Token);

        var inserted = Assert.Single(organizations);
        Assert.Equal(ChangeKind.Upsert, inserted.Kind);
        Assert.Equal(newOrganization, inserted.Key);
        Assert.Equal("新建基层工会", inserted.Values![SyncTables.Organizations.IndexOf("name")]);
        Assert.Equal(nodeId, inserted.Origin!.Value.Node);
        Assert.Null(inserted.Base);

        var updated = Assert.Single(members);
        Assert.Equal(ChangeKind.Upsert, updated.Kind);
        Assert.Equal((short)5, updated.Values![SyncTables.Members.IndexOf("skill_level")]);
        Assert.Equal(new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc), updated.Values[SyncTables.Members.IndexOf("updated_at")]);
        Assert.Equal(nodeId, updated.Origin!.Value.Node);
        Assert.True(updated.Origin.Value.Version > inserted.Origin.Value.Version);

        var deleted = Assert.Single(cards);
        Assert.Equal(ChangeKind.Delete, deleted.Kind);
        Assert.Null(deleted.Values);
        Assert.Equal(Guid.Parse(cardOrganization), deleted.ScopeOrganization);
        Assert.Equal(nodeId, deleted.Origin!.Value.Node);
        Assert.True(deleted.Origin.Value.Version > updated.Origin.Value.Version);
    }

    [Fact]
    public async Task moving_members_and_cards_logs_the_moves_between_organisations()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 3_000, provision: true, Token);
        var card = await db.TextAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token);
        var member = await db.TextAsync($"SELECT member_id FROM service_cards WHERE id = '{card}'", Token);
        var from = await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member}'", Token);
        var to = await db.TextAsync($"SELECT id FROM organizations WHERE level = 4 AND id <> '{from}' ORDER BY id LIMIT 1", Token);
        var otherMember = await db.TextAsync($"SELECT id FROM members WHERE organization_id = '{to}' ORDER BY id LIMIT 1", Token);

        await db.ExecuteRawAsync($"UPDATE members SET organization_id = '{to}' WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"UPDATE members SET name = '改名' WHERE id = '{member}'", Token);
        await db.ExecuteRawAsync($"UPDATE service_cards SET member_id = '{otherMember}' WHERE id = '{card}'", Token);

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var moves = new List<ScopeMove>();
        await foreach (var move in snapshot.ReadMovesAsync(0, Token))
        {
            moves.Add(move);
        }

        // A move carries the version of the write that made it, handed out when the move is made, in write order: the card's
        // is its tracking version; the member's rename after its move was logged and folded later (the snapshot did), above it.
        Assert.Collection(
            moves,
            m => Assert.Equal(new ScopeMove("members", Guid.Parse(member), Guid.Parse(from), Guid.Parse(to), m.Version), m),
            m => Assert.Equal(new ScopeMove("service_cards", Guid.Parse(card), Guid.Parse(to), Guid.Parse(to), m.Version), m));
        Assert.True(moves[0].Version < moves[1].Version);
        Assert.Equal(await db.CountAsync($"SELECT version FROM unionsync_tracking WHERE id = '{card}'", Token), moves[1].Version);
        Assert.True(await db.CountAsync($"SELECT version FROM unionsync_tracking WHERE id = '{member}'", Token) > moves[0].Version);
        Assert.True(moves[1].Version <= snapshot.Watermark);
        var after = new List<ScopeMove>();
        await foreach (var move in snapshot.ReadMovesAsync(moves[0].Version, Token))
        {
            after.Add(move);
        }

        Assert.Equal("service_cards", Assert.Single(after).Table);
    }

    [Fact]
    public async Task changing_a_key_leaves_a_tombstone_for_the_old_key_and_an_upsert_of_the_new_one()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var member = await db.TextAsync(
            "SELECT id FROM members AS m WHERE NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY id LIMIT 1", Token);
        var organization = await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member}'", Token);
        var renamed = Guid.CreateVersion7();

        await db.ExecuteRawAsync($"UPDATE members SET id = '{renamed:D}' WHERE id = '{member}'", Token);

        var changes = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token);
        Assert.Equal(2, changes.Count);
        var tombstone = Assert.Single(changes, c => c.Key == Guid.Parse(member));
        Assert.Equal(ChangeKind.Delete, tombstone.Kind);
        Assert.Equal(Guid.Parse(organization), tombstone.ScopeOrganization);
        Assert.Equal(ChangeKind.Upsert, Assert.Single(changes, c => c.Key == renamed).Kind);
    }

    [Fact]
    public async Task versions_increase_with_every_write_and_a_snapshot_sees_only_what_its_watermark_covers()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var member = await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1 OFFSET 5", Token);
        for (var i = 0; i < 3; i++)
        {
            await db.ExecuteRawAsync($"UPDATE members SET skill_level = {i} WHERE id = '{member}'", Token);
        }

        await db.ExecuteRawAsync("UPDATE members SET phone = NULL WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 4)", Token);
        await db.SettleAsync(Token);
        // Three writes of one row, then one statement over four others: five tracking rows, the four above the one, and
        // consecutive (one statement reads the clock once, so the counter part counts on).
        var top = await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token);
        var memberVersion = await db.CountAsync($"SELECT version FROM unionsync_tracking WHERE id = '{member}'", Token);
        Assert.Equal(5, await db.CountAsync("SELECT count(DISTINCT version) FROM unionsync_tracking", Token));
        Assert.Equal(top - 3, await db.CountAsync($"SELECT min(version) FROM unionsync_tracking WHERE id <> '{member}'", Token));
        Assert.True(memberVersion < top - 3);

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        Assert.Equal(top, snapshot.Watermark);

        // A write committed while the snapshot is open is not in it, and has a version above its watermark.
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 4 WHERE id = '{member}'", Token);
        var seen = new List<RowChange>();
        await foreach (var change in snapshot.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token))
        {
            seen.Add(change);
        }

        Assert.Equal(5, seen.Count);
        Assert.All(seen, c => Assert.True(c.Origin!.Value.Version <= snapshot.Watermark));
        Assert.Equal((short)2, seen.Single(c => c.Key == Guid.Parse(member)).Values![SyncTables.Members.IndexOf("skill_level")]);

        var later = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, snapshot.Watermark, null, null), Token);
        var next = Assert.Single(later);
        Assert.True(next.Origin!.Value.Version > top);
        Assert.Equal((short)4, next.Values![SyncTables.Members.IndexOf("skill_level")]);
    }

    [Fact]
    public async Task changes_are_selected_by_scope_with_their_tombstones()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 600, provision: true, Token);
        var district = await db.TextAsync(
            "SELECT o2.id FROM organizations AS o2 WHERE o2.level = 2 AND EXISTS (SELECT 1 FROM organizations AS o3 JOIN organizations AS o4 " +
            "ON o4.parent_id = o3.id JOIN members AS m ON m.organization_id = o4.id WHERE o3.parent_id = o2.id) ORDER BY o2.id LIMIT 1", Token);
        const string InDistrict =
            "SELECT m.id FROM members AS m JOIN organizations AS o4 ON o4.id = m.organization_id JOIN organizations AS o3 ON o3.id = o4.parent_id " +
            "WHERE o3.parent_id {0} '{1}' AND NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1";
        var inside = await db.TextAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, InDistrict, "=", district), Token);
        var outside = await db.TextAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, InDistrict, "<>", district), Token);
        var insideDeleted = await db.TextAsync(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, InDistrict.Replace("LIMIT 1", "LIMIT 1 OFFSET 1", StringComparison.Ordinal), "=", district), Token);
        var outsideDeleted = await db.TextAsync(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, InDistrict.Replace("LIMIT 1", "LIMIT 1 OFFSET 1", StringComparison.Ordinal), "<>", district), Token);

        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 3 WHERE id IN ('{inside}', '{outside}')", Token);
        await db.ExecuteRawAsync($"DELETE FROM members WHERE id IN ('{insideDeleted}', '{outsideDeleted}')", Token);

        var scoped = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, Guid.Parse(district), null), Token);
        Assert.Equal(
            new[] { (Guid.Parse(inside), ChangeKind.Upsert), (Guid.Parse(insideDeleted), ChangeKind.Delete) }.OrderBy(x => x.Item1.ToString()),
            scoped.Select(c => (c.Key, c.Kind)));
        var everything = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token);
        Assert.Equal(4, everything.Count);
        Assert.Equal(everything.Select(c => c.Key.ToString()).Order(StringComparer.Ordinal), everything.Select(c => c.Key.ToString()));
    }

    [Fact]
    public async Task current_rows_stream_in_key_order_with_identities_only_where_tracked()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 500, provision: true, Token);
        var root = await db.TextAsync("SELECT id FROM organizations WHERE parent_id IS NULL", Token);
        var member = await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1 OFFSET 10", Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 1 WHERE id = '{member}'", Token);

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var rows = new List<RowChange>();
        await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.Subtree(Guid.Parse(root)), Token))
        {
            rows.Add(row);
        }

        Assert.Equal(await db.CountAsync("SELECT count(*) FROM members", Token), rows.Count);
        Assert.Equal(rows.Select(r => r.Key.ToString()).Order(StringComparer.Ordinal), rows.Select(r => r.Key.ToString()));
        Assert.Equal(Guid.Parse(member), Assert.Single(rows, r => r.Origin is not null).Key);
        Assert.All(rows, r => Assert.Equal(r.Key, r.Values![0]));

        var cardsOfMember = await db.CountAsync($"SELECT count(*) FROM service_cards WHERE member_id = '{member}'", Token);
        var cards = 0;
        await foreach (var _ in snapshot.ReadRowsAsync(SyncTables.ServiceCards, RowSelection.OfMembers([Guid.Parse(member)]), Token))
        {
            cards++;
        }

        Assert.Equal(cardsOfMember, cards);
        var subtree = await snapshot.ReadSubtreeAsync(Guid.Parse(root), Token);
        Assert.Equal(await db.CountAsync("SELECT count(*) FROM organizations", Token), subtree.Count);
        Assert.Empty(await snapshot.ReadSubtreeAsync(Guid.CreateVersion7(), Token));
    }
}
