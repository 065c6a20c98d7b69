using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>Applying a peer's batch on PostgreSQL: staging COPY, one merge, tracking written with the incoming identities.</summary>
[Trait("db", "postgres")]
public sealed class A_postgres_apply_transaction(PostgresServerFixture server)
{
    private static readonly Guid Peer = Guid.Parse("0190a000-0000-7000-8000-0000000000aa");
    private static readonly Guid FarNode = Guid.Parse("0190a000-0000-7000-8000-0000000000bb");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TableDescription Members => SyncTables.Members;

    [Fact]
    public async Task writes_tracking_with_the_incoming_origin_and_source_peer_and_fires_no_local_tracking()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 100, Token);
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        var existing = await ReadRowAsync(db, Members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var updated = (object?[])existing.Clone();
        updated[Members.IndexOf("name")] = "李四";
        var inserted = NewMember(existing, Guid.CreateVersion7(), "11010519491231002X");
        var card = await db.AnyAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token);
        var batch = new BatchId(Guid.CreateVersion7(), SyncDirection.Upload, 1);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            Assert.False(await apply.IsBatchAppliedAsync(batch, Token));
            await apply.ApplyAsync(Members, [Upsert(updated, new(Peer, 7)), Upsert(inserted, new(FarNode, 3))], Peer, Token);
            await apply.ApplyAsync(SyncTables.ServiceCards, [Delete(SyncTables.ServiceCards, card, new(Peer, 8))], Peer, Token);
            await apply.RecordBatchAsync(batch, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal("李四", await db.ScalarAsync<string>("SELECT name FROM members WHERE id = @id", Token, ("id", (Guid)existing[0]!)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM service_cards WHERE id = @id", Token, ("id", card)));

        var (_, fromPeer) = await db.ReadChangesAsync(Members, 0, Token, excludedPeer: Peer);
        Assert.Empty(fromPeer);
        var (_, all) = await db.ReadChangesAsync(Members, 0, Token, excludedPeer: nodeId);
        Assert.Equal(2, all.Count);
        var far = all.Single(c => c.Key == (Guid)inserted[0]!);
        Assert.Equal((new VersionIdentity(FarNode, 3), new VersionIdentity(FarNode, 3)), (far.Origin!.Value, far.Base!.Value));
        Assert.Equal(inserted, far.Values);
        var (_, cards) = await db.ReadChangesAsync(SyncTables.ServiceCards, 0, Token);
        var tombstone = Assert.Single(cards);
        Assert.Equal((ChangeKind.Delete, (VersionIdentity?)new VersionIdentity(Peer, 8)), (tombstone.Kind, tombstone.Origin));
        Assert.NotNull(tombstone.ScopeOrganization);

        await using var again = await db.Provider.Applier.BeginAsync(Token);
        Assert.True(await again.IsBatchAppliedAsync(batch, Token));
        var current = await again.ReadCurrentAsync(Members, [(Guid)inserted[0]!], Token);
        Assert.Equal(Peer, current[(Guid)inserted[0]!].SourcePeer);
    }

    [Fact]
    public async Task rolls_everything_back_when_disposed_without_commit()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 50, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var existing = await ReadRowAsync(db, Members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var batch = new BatchId(Guid.CreateVersion7(), SyncDirection.Download, 4);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(Members, [Upsert(NewMember(existing, Guid.CreateVersion7(), "110105194912310029"), new(Peer, 1))], Peer, Token);
            await apply.RecordBatchAsync(batch, Token);
        }

        Assert.Equal(50L, await db.ScalarAsync<long>("SELECT count(*) FROM members", Token));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking", Token));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_applied_batches", Token));
    }

    [Fact]
    public async Task reads_current_identities_tombstones_and_untracked_rows()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 50, Token);
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        var cards = SyncTables.ServiceCards;
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await db.AnyAsync($"SELECT id FROM service_cards ORDER BY id OFFSET {i} LIMIT 1", Token));
        }

        await db.ExecuteAsync("UPDATE service_cards SET bank = 'ICBC' WHERE id = @id", Token, ("id", ids[0]));
        await db.ExecuteAsync("DELETE FROM service_cards WHERE id = @id", Token, ("id", ids[1]));
        var unknown = Guid.CreateVersion7();

        await using var apply = await db.Provider.Applier.BeginAsync(Token);
        var current = await apply.ReadCurrentAsync(cards, [.. ids, unknown], Token);

        Assert.Equal(3, current.Count);
        Assert.Equal(nodeId, current[ids[0]].Identity!.Value.Node);
        Assert.Equal("ICBC", current[ids[0]].Values![cards.IndexOf("bank")]);
        Assert.True(current[ids[0]].LocalVersion > 0);
        Assert.Null(current[ids[0]].SourcePeer);
        Assert.True(current[ids[1]].Deleted);
        Assert.Null(current[ids[1]].Values);
        Assert.Equal((null, false, 0L), (current[ids[2]].Identity, current[ids[2]].Deleted, current[ids[2]].LocalVersion));
        Assert.False(current.ContainsKey(unknown));
    }

    [Fact]
    public async Task logs_a_move_when_an_applied_upsert_changes_a_members_organisation()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 300, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var existing = await ReadRowAsync(db, Members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var from = (Guid)existing[Members.IndexOf("organization_id")]!;
        var to = await db.AnyAsync($"SELECT id FROM organizations WHERE id <> '{from}' ORDER BY level DESC, id LIMIT 1", Token);
        var moved = (object?[])existing.Clone();
        moved[Members.IndexOf("organization_id")] = to;
        var key = (Guid)existing[0]!;

        await using var apply = await db.Provider.Applier.BeginAsync(Token);
        await apply.ApplyAsync(Members, [Upsert(moved, new(Peer, 2))], Peer, Token);
        var moves = await apply.ReadMovesAsync("members", [key], 0, Token);
        var organizations = await apply.ReadMemberOrganizationsAsync([key], Token);

        var move = Assert.Single(moves);
        Assert.Equal(("members", key, (Guid?)from, (Guid?)to), (move.Table, move.Key, move.FromOrganization, move.ToOrganization));
        Assert.Equal(to, organizations[key]);
    }

    /// <summary>
    /// A row brought back over its tombstone at another organisation than the tombstone's has moved for this node's
    /// children (they may still hold it where it sat): the move is logged; brought back where it was, it is no move. A
    /// delete's tombstone is placed where the row sat here, whatever organisation the sender names.
    /// </summary>
    [Fact]
    public async Task logs_a_move_when_a_row_comes_back_over_its_tombstone_at_another_organisation()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 3_000, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        const string WithoutCards = "SELECT id FROM members m WHERE NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id)";
        var member = await ReadRowAsync(db, Members, await db.AnyAsync(WithoutCards + " ORDER BY id LIMIT 1", Token));
        var stays = await ReadRowAsync(db, Members, await db.AnyAsync(WithoutCards + " ORDER BY id OFFSET 1 LIMIT 1", Token));
        var (key, from) = ((Guid)member[0]!, (Guid)member[Members.IndexOf("organization_id")]!);
        var to = await db.AnyAsync($"SELECT id FROM organizations WHERE id <> '{from}' AND level = 4 ORDER BY id LIMIT 1", Token);
        var cards = SyncTables.ServiceCards;
        var card = await ReadRowAsync(db, cards, await db.AnyAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token));
        var holderOrganization = await db.ScalarAsync<Guid>("SELECT organization_id FROM members WHERE id = @m", Token, ("m", (Guid)card[cards.IndexOf("member_id")]!));
        var newHolder = await db.AnyAsync($"SELECT id FROM members WHERE organization_id <> '{holderOrganization}' ORDER BY id LIMIT 1", Token);
        var newHolderOrganization = await db.ScalarAsync<Guid>("SELECT organization_id FROM members WHERE id = @m", Token, ("m", newHolder));
        member[Members.IndexOf("organization_id")] = to;
        card[cards.IndexOf("member_id")] = newHolder;

        await using (var delete = await db.Provider.Applier.BeginAsync(Token))
        {
            await delete.ApplyAsync(cards, [Delete(cards, (Guid)card[0]!, new(Peer, 1))], Peer, Token);
            await delete.ApplyAsync(Members, [Delete(Members, key, new(Peer, 2)) with { ScopeOrganization = to }, Delete(Members, (Guid)stays[0]!, new(Peer, 3))], Peer, Token);
            await delete.CommitAsync(Token);
        }

        Assert.Equal(from, await db.ScalarAsync<Guid>("SELECT scope_org FROM unionsync_tracking WHERE id = @m", Token, ("m", key)));
        await using var back = await db.Provider.Applier.BeginAsync(Token);
        await back.ApplyAsync(Members, [Upsert(member, new(Peer, 4)), Upsert(stays, new(Peer, 5))], Peer, Token);
        await back.ApplyAsync(cards, [Upsert(card, new(Peer, 6)) with { Table = cards }], Peer, Token);

        var moved = Assert.Single(await back.ReadMovesAsync("members", [key, (Guid)stays[0]!], 0, Token));
        Assert.Equal((key, (Guid?)from, (Guid?)to), (moved.Key, moved.FromOrganization, moved.ToOrganization));
        var movedCard = Assert.Single(await back.ReadMovesAsync("service_cards", [(Guid)card[0]!], 0, Token));
        Assert.Equal(((Guid)card[0]!, (Guid?)holderOrganization, (Guid?)newHolderOrganization), (movedCard.Key, movedCard.FromOrganization, movedCard.ToOrganization));
    }

    [Fact]
    public async Task removes_an_organisation_with_its_subtree_locally_without_tombstones()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 500, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var district = await db.AnyAsync("SELECT id FROM organizations WHERE level = 2 ORDER BY id LIMIT 1", Token);
        await db.ExecuteAsync(
            "UPDATE members SET skill_level = 1 WHERE organization_id IN (WITH RECURSIVE s AS (SELECT id FROM organizations WHERE id = @d " +
            "UNION ALL SELECT o.id FROM organizations o JOIN s ON o.parent_id = s.id) SELECT id FROM s)",
            Token,
            ("d", district));
        var before = await CountsAsync(db);
        IReadOnlySet<Guid> subtree;

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            subtree = await apply.ReadSubtreeAsync(district, Token);
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [district], Token);
            await apply.CommitAsync(Token);
        }

        Assert.True(subtree.Count > 1);
        var after = await CountsAsync(db);
        Assert.Equal(before.Organizations - subtree.Count, after.Organizations);
        Assert.True(after.Members < before.Members);
        Assert.Equal(0L, after.Tracking);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM organizations WHERE id = @d", Token, ("d", district)));
    }

    [Fact]
    public async Task logs_one_move_per_removed_key_and_none_for_the_dependents_removed_with_it()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 500, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        const string SubtreeOfD =
            "WITH RECURSIVE s AS (SELECT id FROM organizations WHERE id = @d UNION ALL SELECT o.id FROM organizations o JOIN s ON o.parent_id = s.id) ";
        var district = await db.AnyAsync(
            "SELECT o.id FROM organizations o WHERE o.level = 2 AND EXISTS (SELECT 1 FROM organizations c WHERE c.parent_id = o.id) ORDER BY o.id LIMIT 1",
            Token);
        var districtParent = await db.ScalarAsync<Guid>("SELECT parent_id FROM organizations WHERE id = @d", Token, ("d", district));
        var member = await db.ScalarAsync<Guid>(
            SubtreeOfD + "SELECT m.id FROM members m WHERE m.organization_id NOT IN (SELECT id FROM s) " +
            "AND EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1",
            Token,
            ("d", district));
        var memberOrganization = await db.ScalarAsync<Guid>("SELECT organization_id FROM members WHERE id = @m", Token, ("m", member));
        var dependents = await db.ScalarAsync<long>(
            SubtreeOfD + "SELECT (SELECT count(*) FROM s) - 1 + (SELECT count(*) FROM members WHERE organization_id IN (SELECT id FROM s)) " +
            "+ (SELECT count(*) FROM service_cards WHERE member_id = @m)",
            Token,
            ("d", district),
            ("m", member));
        Assert.True(dependents > 1);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_moves", Token));

        // The watermark is the snapshot's xmin, a conservative bound (transactions of other databases on the server
        // hold it back), so only the moves of this removal exist to be selected.
        long since;
        await using (var before = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            since = before.Watermark;
        }

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(Members, [member], Token);
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [district], Token);
            await apply.CommitAsync(Token);
        }

        var moves = new List<ScopeMove>();
        await using (var after = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            await foreach (var move in after.ReadMovesAsync(since, Token))
            {
                moves.Add(move);
            }
        }

        Assert.Equal(
            [("members", member, (Guid?)memberOrganization, (Guid?)null), ("organizations", district, (Guid?)districtParent, (Guid?)null)],
            moves.Select(m => (m.Table, m.Key, m.FromOrganization, m.ToOrganization)).OrderBy(m => m.Table, StringComparer.Ordinal).ToList());
        Assert.All(moves, m => Assert.True(m.Version >= since));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking WHERE id = @m OR id = @d", Token, ("m", member), ("d", district)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking WHERE deleted", Token));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM members WHERE id = @m", Token, ("m", member)));
    }

    [Fact]
    public async Task round_trips_char_18_identity_numbers_value_for_value()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 20, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var existing = await ReadRowAsync(db, Members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        var row = NewMember(existing, Guid.CreateVersion7(), "11010519491231002X");
        row[Members.IndexOf("employer_code")] = "91110000100000000X";
        row[Members.IndexOf("phone")] = null;
        row[Members.IndexOf("created_at")] = new DateTime(2026, 1, 1, 8, 30, 0, 123, DateTimeKind.Utc).AddTicks(4560);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(Members, [Upsert(row, new(Peer, 1))], Peer, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(row, await ReadRowAsync(db, Members, (Guid)row[0]!));
    }

    [Fact]
    public async Task records_conflicts_in_the_log_newest_first()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        var detected = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            foreach (var key in new[] { Guid.CreateVersion7(), Guid.CreateVersion7() })
            {
                await apply.RecordConflictAsync(
                    new ConflictRecord(0, "members", key, "update-update", "{}", null, new(nodeId, 4), new(Peer, 9), nodeId, Peer, "parent-wins", "parent", "resolved", detected),
                    Token);
            }

            await apply.CommitAsync(Token);
        }

        var log = new List<ConflictRecord>();
        await foreach (var conflict in db.Provider.Metadata.ListConflictsAsync(Token))
        {
            log.Add(conflict);
        }

        Assert.Equal(2, log.Count);
        Assert.True(log[0].Id > log[1].Id);
        Assert.Equal((new VersionIdentity(Peer, 9), detected), (log[0].ChildIdentity!.Value, log[0].DetectedAt));
    }

    internal static RowChange Upsert(object?[] values, VersionIdentity origin) =>
        new() { Table = Members, Key = (Guid)values[0]!, Kind = ChangeKind.Upsert, Values = values, Origin = origin, Base = origin };

    private static RowChange Delete(TableDescription table, Guid key, VersionIdentity origin) =>
        new() { Table = table, Key = key, Kind = ChangeKind.Delete, Origin = origin };

    private static object?[] NewMember(object?[] template, Guid id, string idNumber)
    {
        var row = (object?[])template.Clone();
        row[0] = id;
        row[Members.IndexOf("id_number")] = idNumber;
        return row;
    }

    internal static async Task<object?[]> ReadRowAsync(PostgresTrackingDatabase db, TableDescription table, Guid key)
    {
        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        await foreach (var row in snapshot.ReadRowsAsync(table, RowSelection.ByKeys([key]), Token))
        {
            return row.Values!;
        }

        throw new InvalidOperationException("The row is missing.");
    }

    private static async Task<(long Organizations, long Members, long Tracking)> CountsAsync(PostgresTrackingDatabase db) =>
        (await db.ScalarAsync<long>("SELECT count(*) FROM organizations", Token),
         await db.ScalarAsync<long>("SELECT count(*) FROM members", Token),
         await db.ScalarAsync<long>("SELECT count(*) FROM unionsync_tracking", Token));
}
