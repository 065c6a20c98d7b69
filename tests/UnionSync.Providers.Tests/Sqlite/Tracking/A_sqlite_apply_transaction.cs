using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>Applying a peer's batch: tracking with the incoming identity, no local-origin capture, idempotency, local removal.</summary>
[Trait("db", "sqlite")]
public sealed class A_sqlite_apply_transaction
{
    private static readonly Guid Peer = Guid.Parse("0190f5a2-0000-7000-8000-00000000beef");
    private static readonly Guid PeerOrigin = Guid.Parse("0190f5a2-0000-7000-8000-00000000c1f0");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task an_applied_batch_tracks_the_incoming_origin_and_source_peer_and_fires_no_local_capture()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 300, provision: true, Token);
        var nodeId = await db.Provider.Tracking.GetNodeIdAsync(Token);
        var member = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var values = await CurrentValuesAsync(db, SyncTables.Members, member);
        values[SyncTables.Members.IndexOf("skill_level")] = (short)4;
        var origin = new VersionIdentity(PeerOrigin, 42);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Members, [Upsert(SyncTables.Members, member, values, origin)], Peer, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_apply_guard", Token));

        // The append triggers fired for the applied row; its holder deleted what they logged before committing.
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_changes", Token));
        Assert.Equal(4, await db.CountAsync($"SELECT skill_level FROM members WHERE id = '{member:D}'", Token));
        await using (var check = await db.Provider.Applier.BeginAsync(Token))
        {
            var current = (await check.ReadCurrentAsync(SyncTables.Members, [member, Guid.CreateVersion7()], Token)).Single();
            Assert.Equal(member, current.Key);
            Assert.Equal(origin, current.Value.Identity);
            Assert.Equal(Peer, current.Value.SourcePeer);
            Assert.False(current.Value.Deleted);
            Assert.Equal(1, current.Value.LocalVersion);
            Assert.Equal(values, current.Value.Values);
        }

        // Forwarded to others with its identity; left out for the peer it came from.
        var all = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, null), Token);
        Assert.Equal(origin, Assert.Single(all).Origin);
        Assert.Equal(origin, all[0].Base);
        Assert.Empty(await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 0, null, Peer), Token));

        // A later local edit is this node's version, newer than the one received, and keeps the agreed base.
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 2 WHERE id = '{member:D}'", Token);
        var edited = Assert.Single(await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 1, null, Peer), Token));
        Assert.Equal(nodeId, edited.Origin!.Value.Node);
        Assert.True(edited.Origin.Value.Version > origin.Version);
        Assert.Equal(origin, edited.Base);
    }

    [Fact]
    public async Task an_initial_version_applied_over_a_local_edit_leaves_the_row_untracked_and_the_counter_where_it_was()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var member = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var original = await CurrentValuesAsync(db, SyncTables.Members, member);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE id = '{member:D}'", Token);
        await db.SettleAsync(Token);
        var counter = await db.CountAsync("SELECT version FROM unionsync_tracking", Token);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(
                SyncTables.Members, [new RowChange { Table = SyncTables.Members, Key = member, Kind = ChangeKind.Upsert, Values = original }], Peer, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(original, await CurrentValuesAsync(db, SyncTables.Members, member));
        await using (var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            Assert.Equal(counter, snapshot.Watermark);
        }

        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 0 WHERE id = '{member:D}'", Token);
        await db.SettleAsync(Token);
        Assert.True(await db.CountAsync("SELECT version FROM unionsync_tracking", Token) > counter);
    }

    [Fact]
    public async Task a_change_from_a_child_keeps_the_base_agreed_with_the_parent_and_the_initial_identity_is_stored()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var child = Guid.CreateVersion7();
        var member = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var untouched = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1 OFFSET 1", Token));
        var values = await CurrentValuesAsync(db, SyncTables.Members, member);
        var untouchedValues = await CurrentValuesAsync(db, SyncTables.Members, untouched);
        var agreed = new VersionIdentity(PeerOrigin, 5);
        await using (var fromParent = await db.Provider.Applier.BeginAsync(Token))
        {
            await fromParent.ApplyAsync(SyncTables.Members, [Upsert(SyncTables.Members, member, values, agreed)], Peer, Token);
            await fromParent.CommitAsync(Token);
        }

        values[SyncTables.Members.IndexOf("skill_level")] = (short)3;
        await using (var fromChild = await db.Provider.Applier.BeginAsync(Token))
        {
            await fromChild.ApplyFromChildAsync(
                SyncTables.Members,
                [Upsert(SyncTables.Members, member, values, new VersionIdentity(child, 9)), Upsert(SyncTables.Members, untouched, untouchedValues, VersionIdentity.Initial)],
                child,
                Token);
            await fromChild.CommitAsync(Token);
        }

        var changes = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 1, null, Peer), Token);
        Assert.Equal(2, changes.Count);
        var edited = changes.Single(c => c.Key == member);
        Assert.Equal(new VersionIdentity(child, 9), edited.Origin);
        Assert.Equal(agreed, edited.Base);
        var initial = changes.Single(c => c.Key == untouched);
        Assert.Equal(VersionIdentity.Initial, initial.Origin);
        Assert.Null(initial.Base);
        Assert.Empty(await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, 1, null, child), Token));
    }

    [Fact]
    public async Task a_batch_is_recorded_once_and_a_disposed_transaction_leaves_nothing()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 200, provision: true, Token);
        var batch = new BatchId(Guid.CreateVersion7(), SyncDirection.Upload, 3);
        var member = Guid.Parse(await db.TextAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var values = await CurrentValuesAsync(db, SyncTables.Members, member);
        values[SyncTables.Members.IndexOf("name")] = "未提交";

        await using (var abandoned = await db.Provider.Applier.BeginAsync(Token))
        {
            Assert.False(await abandoned.IsBatchAppliedAsync(batch, Token));
            await abandoned.ApplyAsync(SyncTables.Members, [Upsert(SyncTables.Members, member, values, new VersionIdentity(PeerOrigin, 1))], Peer, Token);
            await abandoned.RecordBatchAsync(batch, Token);
        }

        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM members WHERE name = '未提交'", Token));

        await using (var first = await db.Provider.Applier.BeginAsync(Token))
        {
            Assert.False(await first.IsBatchAppliedAsync(batch, Token));
            await first.RecordBatchAsync(batch, Token);
            await first.CommitAsync(Token);
        }

        await using var second = await db.Provider.Applier.BeginAsync(Token);
        Assert.True(await second.IsBatchAppliedAsync(batch, Token));
        Assert.False(await second.IsBatchAppliedAsync(batch with { Direction = SyncDirection.Download }, Token));
        Assert.False(await second.IsBatchAppliedAsync(batch with { Number = 4 }, Token));
    }

    [Fact]
    public async Task applied_moves_and_deletes_are_logged_and_a_tombstone_reads_as_deleted()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 3_000, provision: true, Token);
        var member = Guid.Parse(await db.TextAsync(
            "SELECT id FROM members AS m WHERE NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY id LIMIT 1", Token));
        var other = Guid.Parse(await db.TextAsync(
            $"SELECT id FROM members AS m WHERE id <> '{member:D}' AND NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id) ORDER BY id LIMIT 1", Token));
        var from = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member:D}'", Token));
        var to = Guid.Parse(await db.TextAsync($"SELECT id FROM organizations WHERE level = 4 AND id <> '{from:D}' ORDER BY id LIMIT 1", Token));
        var otherOrganization = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{other:D}'", Token));
        var values = await CurrentValuesAsync(db, SyncTables.Members, member);
        values[SyncTables.Members.IndexOf("organization_id")] = to;

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(
                SyncTables.Members,
                [
                    Upsert(SyncTables.Members, member, values, new VersionIdentity(PeerOrigin, 7)),
                    new RowChange { Table = SyncTables.Members, Key = other, Kind = ChangeKind.Delete, Origin = new VersionIdentity(PeerOrigin, 8) },
                ],
                Peer,
                Token);
            var moves = await apply.ReadMovesAsync("members", [member, other], 0, Token);
            Assert.Equal(new ScopeMove("members", member, from, to, 1), Assert.Single(moves));
            Assert.Equal(to, (await apply.ReadMemberOrganizationsAsync([member], Token))[member]);
            await apply.CommitAsync(Token);
        }

        await using var check = await db.Provider.Applier.BeginAsync(Token);
        var current = await check.ReadCurrentAsync(SyncTables.Members, [other], Token);
        Assert.True(current[other].Deleted);
        Assert.Null(current[other].Values);
        Assert.Equal(new VersionIdentity(PeerOrigin, 8), current[other].Identity);
        Assert.Equal(otherOrganization.ToString("D"), await db.TextAsync($"SELECT scope_org FROM unionsync_tracking WHERE id = '{other:D}'", Token));
    }

    /// <summary>
    /// A row deleted here and brought back (the parent's row re-sent after the delete lost there, a child's winning
    /// version) at another organisation than its tombstone's has moved for this node's children, which may still hold it
    /// where it sat: the move is logged. Brought back where it was, it is no move. A delete's tombstone is placed where the
    /// row sat here, whatever organisation the sender names.
    /// </summary>
    [Fact]
    public async Task a_row_brought_back_over_its_tombstone_at_another_organisation_is_logged_as_a_move()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 3_000, provision: true, Token);
        const string WithoutCards = "SELECT id FROM members AS m WHERE NOT EXISTS (SELECT 1 FROM service_cards AS c WHERE c.member_id = m.id)";
        var member = Guid.Parse(await db.TextAsync(WithoutCards + " ORDER BY id LIMIT 1", Token));
        var stays = Guid.Parse(await db.TextAsync(WithoutCards + $" AND id <> '{member:D}' ORDER BY id LIMIT 1", Token));
        var from = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member:D}'", Token));
        var to = Guid.Parse(await db.TextAsync($"SELECT id FROM organizations WHERE level = 4 AND id <> '{from:D}' ORDER BY id LIMIT 1", Token));
        var card = Guid.Parse(await db.TextAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token));
        var holder = Guid.Parse(await db.TextAsync($"SELECT member_id FROM service_cards WHERE id = '{card:D}'", Token));
        var holderOrganization = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{holder:D}'", Token));
        var newHolder = Guid.Parse(await db.TextAsync($"SELECT id FROM members WHERE organization_id <> '{holderOrganization:D}' ORDER BY id LIMIT 1", Token));
        var newHolderOrganization = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{newHolder:D}'", Token));
        var memberValues = await CurrentValuesAsync(db, SyncTables.Members, member);
        var staysValues = await CurrentValuesAsync(db, SyncTables.Members, stays);
        var cardValues = await CurrentValuesAsync(db, SyncTables.ServiceCards, card);
        memberValues[SyncTables.Members.IndexOf("organization_id")] = to;
        cardValues[SyncTables.ServiceCards.IndexOf("member_id")] = newHolder;

        await using (var delete = await db.Provider.Applier.BeginAsync(Token))
        {
            await delete.ApplyAsync(SyncTables.ServiceCards, [Delete(SyncTables.ServiceCards, card, 1, null)], Peer, Token);
            await delete.ApplyAsync(SyncTables.Members, [Delete(SyncTables.Members, member, 2, to), Delete(SyncTables.Members, stays, 3, null)], Peer, Token);
            await delete.CommitAsync(Token);
        }

        Assert.Equal(from.ToString("D"), await db.TextAsync($"SELECT scope_org FROM unionsync_tracking WHERE id = '{member:D}'", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_moves", Token));
        await using (var back = await db.Provider.Applier.BeginAsync(Token))
        {
            await back.ApplyAsync(
                SyncTables.Members,
                [Upsert(SyncTables.Members, member, memberValues, new VersionIdentity(PeerOrigin, 4)), Upsert(SyncTables.Members, stays, staysValues, new VersionIdentity(PeerOrigin, 5))],
                Peer,
                Token);
            await back.ApplyAsync(SyncTables.ServiceCards, [Upsert(SyncTables.ServiceCards, card, cardValues, new VersionIdentity(PeerOrigin, 6))], Peer, Token);
            var moved = Assert.Single(await back.ReadMovesAsync("members", [member, stays], 0, Token));
            Assert.Equal((member, (Guid?)from, (Guid?)to), (moved.Key, moved.FromOrganization, moved.ToOrganization));
            var movedCard = Assert.Single(await back.ReadMovesAsync("service_cards", [card], 0, Token));
            Assert.Equal((card, (Guid?)holderOrganization, (Guid?)newHolderOrganization), (movedCard.Key, movedCard.FromOrganization, movedCard.ToOrganization));
            await back.CommitAsync(Token);
        }

        Assert.Equal(to.ToString("D"), await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member:D}'", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM unionsync_tracking WHERE deleted = 1", Token));
    }

    [Fact]
    public async Task removing_an_organisation_locally_takes_its_subtree_members_cards_and_their_tracking()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 800, provision: true, Token);
        var street = Guid.Parse(await db.TextAsync(
            "SELECT o3.id FROM organizations AS o3 JOIN organizations AS o4 ON o4.parent_id = o3.id JOIN members AS m ON m.organization_id = o4.id " +
            "JOIN service_cards AS c ON c.member_id = m.id WHERE o3.level = 3 ORDER BY o3.id LIMIT 1", Token));
        const string SubtreeMembers = "SELECT id FROM members WHERE organization_id IN (SELECT id FROM organizations WHERE id = '{0}' OR parent_id = '{0}')";
        var memberSql = string.Format(System.Globalization.CultureInfo.InvariantCulture, SubtreeMembers, street.ToString("D"));
        var totalMembers = await db.CountAsync("SELECT count(*) FROM members", Token);
        var removedMembers = await db.CountAsync($"SELECT count(*) FROM ({memberSql})", Token);
        var totalOrganizations = await db.CountAsync("SELECT count(*) FROM organizations", Token);
        var removedOrganizations = await db.CountAsync($"SELECT count(*) FROM organizations WHERE id = '{street:D}' OR parent_id = '{street:D}'", Token);
        Assert.True(removedMembers > 0);

        // Local edits inside and outside the subtree give tracking rows; only the outside one must stay.
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 1 WHERE id IN ({memberSql})", Token);
        await db.ExecuteRawAsync($"UPDATE service_cards SET bank = '工商银行' WHERE member_id IN ({memberSql})", Token);
        await db.ExecuteRawAsync($"UPDATE organizations SET name = '改' WHERE id = '{street:D}'", Token);
        var outside = await db.TextAsync($"SELECT id FROM members WHERE id NOT IN ({memberSql}) ORDER BY id LIMIT 1", Token);
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 2 WHERE id = '{outside}'", Token);
        await db.SettleAsync(Token);
        var watermark = await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token);
        var parent = await db.TextAsync($"SELECT parent_id FROM organizations WHERE id = '{street:D}'", Token);
        await db.ExecuteRawAsync("DELETE FROM unionsync_moves", Token);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [street], Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(0, await db.CountAsync($"SELECT count(*) FROM organizations WHERE id = '{street:D}' OR parent_id = '{street:D}'", Token));
        Assert.Equal(totalOrganizations - removedOrganizations, await db.CountAsync("SELECT count(*) FROM organizations", Token));
        Assert.Equal(totalMembers - removedMembers, await db.CountAsync("SELECT count(*) FROM members", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM service_cards WHERE member_id NOT IN (SELECT id FROM members)", Token));
        Assert.Equal(outside, await db.TextAsync("SELECT group_concat(id) FROM unionsync_tracking", Token));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM pragma_foreign_key_check", Token));

        // No tombstone travels; the removed key alone goes to the move log, to nowhere, from the street's parent, so that
        // this node's own children that hold it are told in turn; the counter does not go back.
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM unionsync_moves", Token));
        Assert.Equal(
            $"1|{street:D}|{parent}||{watermark + 1}",
            await db.TextAsync("SELECT tbl || '|' || id || '|' || from_org || '|' || coalesce(to_org, '') || '|' || version FROM unionsync_moves", Token));
        await db.ExecuteRawAsync($"UPDATE members SET skill_level = 3 WHERE id = '{outside}'", Token);
        await db.SettleAsync(Token);
        Assert.True(await db.CountAsync("SELECT max(version) FROM unionsync_tracking", Token) > watermark + 1);
    }

    [Fact]
    public async Task conflicts_are_listed_newest_first_and_peers_are_saved()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 100, provision: true, Token);
        var node = await db.Provider.Tracking.GetNodeIdAsync(Token);
        var detected = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            for (var i = 0; i < 2; i++)
            {
                await apply.RecordConflictAsync(
                    new ConflictRecord(
                        0, "members", Guid.CreateVersion7(), "update-update", "{\"skill_level\":1}", i == 0 ? null : "{\"skill_level\":2}",
                        new VersionIdentity(node, 5), i == 0 ? null : new VersionIdentity(Peer, 9), node, Peer, "parent-wins", "parent", "resolved",
                        detected.AddMinutes(i)),
                    Token);
            }

            await apply.CommitAsync(Token);
        }

        var conflicts = new List<ConflictRecord>();
        await foreach (var conflict in db.Provider.Metadata.ListConflictsAsync(Token))
        {
            conflicts.Add(conflict);
        }

        Assert.Equal(2, conflicts.Count);
        Assert.True(conflicts[0].Id > conflicts[1].Id);
        Assert.Equal(detected.AddMinutes(1), conflicts[0].DetectedAt);
        Assert.Equal(new VersionIdentity(Peer, 9), conflicts[0].ChildIdentity);
        Assert.Null(conflicts[1].ChildIdentity);
        Assert.Null(conflicts[1].ChildVersion);

        Assert.Null(await db.Provider.Metadata.GetParentAsync(Token));
        var parent = new PeerRecord(Peer, PeerRole.Parent, Guid.CreateVersion7(), 0, 0, 1);
        await db.Provider.Metadata.SavePeerAsync(parent, Token);
        await db.Provider.Metadata.SavePeerAsync(parent with { SentWatermark = 12, ReceivedWatermark = 34 }, Token);
        var child = new PeerRecord(PeerOrigin, PeerRole.Child, Guid.CreateVersion7(), 5, 6, 1);
        await db.Provider.Metadata.SavePeerAsync(child, Token);
        Assert.Equal(parent with { SentWatermark = 12, ReceivedWatermark = 34 }, await db.Provider.Metadata.GetParentAsync(Token));
        Assert.Equal(child, await db.Provider.Metadata.GetPeerAsync(PeerOrigin, Token));
        Assert.Null(await db.Provider.Metadata.GetPeerAsync(Guid.CreateVersion7(), Token));
    }

    private static RowChange Delete(TableDescription table, Guid key, long version, Guid? scope) =>
        new() { Table = table, Key = key, Kind = ChangeKind.Delete, Origin = new VersionIdentity(PeerOrigin, version), ScopeOrganization = scope };

    private static RowChange Upsert(TableDescription table, Guid key, object?[] values, VersionIdentity origin) =>
        new() { Table = table, Key = key, Kind = ChangeKind.Upsert, Values = values, Origin = origin };

    private static async Task<object?[]> CurrentValuesAsync(TrackedSqliteDatabase db, TableDescription table, Guid key)
    {
        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        await foreach (var row in snapshot.ReadRowsAsync(table, RowSelection.ByKeys([key]), Token))
        {
            return row.Values!;
        }

        throw new InvalidOperationException("The row is missing.");
    }
}
