using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// Applying a peer's batch on a real SQL Server: SqlBulkCopy into staging, one MERGE, tracking rows written from the
/// staged changes with the triggers standing aside, moves, batch records, conflicts, atomicity and local removal.
/// Each test has its own database, or is skipped with the reason.
/// </summary>
[Trait("db", "sqlserver")]
public sealed class SqlServerApplyIntegrationTests(SqlServerFixture server)
{
    private static readonly Guid Peer = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8cff01");
    private static readonly Guid OtherOrg = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c0b01");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_peers_batch_is_written_with_the_peers_identities_and_not_echoed_back_to_it()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        var batch = new BatchId(Guid.CreateVersion7(), SyncDirection.Download, 1);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            Assert.False(await apply.IsBatchAppliedAsync(batch, Token));
            await apply.ApplyAsync(SyncTables.Organizations, Upserts(SyncTables.Organizations, SampleRows.Organizations(), 7), Peer, Token);
            await apply.ApplyAsync(SyncTables.Members, Upserts(SyncTables.Members, SampleRows.Members(), 8), Peer, Token);
            await apply.RecordBatchAsync(batch, Token);
            await apply.CommitAsync(Token);
        }

        var changes = await db.ChangesAsync(SyncTables.Organizations);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal(new VersionIdentity(Peer, 7), c.Origin));
        Assert.All(changes, c => Assert.Equal(new VersionIdentity(Peer, 7), c.Base));
        Assert.Empty(await db.ChangesAsync(SyncTables.Organizations, excluded: Peer));
        var members = (await db.ChangesAsync(SyncTables.Members)).ToDictionary(c => c.Key);
        foreach (var member in SampleRows.Members())
        {
            Assert.Equal(SampleRows.Expected(member), members[(Guid)member[0]!].Values);
        }

        await using var check = await db.Provider.Applier.BeginAsync(Token);
        Assert.True(await check.IsBatchAppliedAsync(batch, Token));
        var current = await check.ReadCurrentAsync(SyncTables.Members, [SampleRows.MemberA, Guid.CreateVersion7()], Token);
        var row = Assert.Single(current.Values);
        Assert.Equal((new VersionIdentity(Peer, 8), (Guid?)Peer, false), (row.Identity!.Value, row.SourcePeer, row.Deleted));
        Assert.True(row.LocalVersion > 0);
        Assert.Equal(SampleRows.Expected(SampleRows.Members()[0]), row.Values);
    }

    [Fact]
    public async Task an_initial_version_from_a_peer_is_tracked_without_origin_and_a_delete_keeps_its_scope()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            var cards = SampleRows.ServiceCards().Select(c => (Guid)c[0]!).ToList();
            await apply.ApplyAsync(
                SyncTables.ServiceCards,
                [.. cards.Select(id => new RowChange { Table = SyncTables.ServiceCards, Key = id, Kind = ChangeKind.Delete, Origin = new VersionIdentity(Peer, 3) })],
                Peer,
                Token);
            await apply.ApplyAsync(SyncTables.Organizations, [new RowChange { Table = SyncTables.Organizations, Key = SampleRows.City, Kind = ChangeKind.Upsert, Values = SampleRows.Organizations()[0] }], Peer, Token);
            await apply.CommitAsync(Token);
        }

        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM service_cards"));
        var tombstones = await db.ChangesAsync(SyncTables.ServiceCards);
        Assert.Equal(3, tombstones.Count);
        Assert.All(tombstones, t => Assert.Equal((ChangeKind.Delete, (Guid?)SampleRows.Grassroots), (t.Kind, t.ScopeOrganization)));
        var city = Assert.Single(await db.ChangesAsync(SyncTables.Organizations));
        Assert.Null(city.Origin);
    }

    [Fact]
    public async Task a_childs_change_keeps_the_base_agreed_with_the_parent_and_the_initial_identity_is_stored_as_an_origin()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        var child = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8cff02");
        var organizations = SampleRows.Organizations();

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Organizations, Upserts(SyncTables.Organizations, organizations[..2], 3), Peer, Token);
            await apply.CommitAsync(Token);
        }

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            var fromChild = organizations.Select(r => new RowChange
            {
                Table = SyncTables.Organizations, Key = (Guid)r[0]!, Kind = ChangeKind.Upsert, Values = r, Origin = new VersionIdentity(child, 9),
            }).ToList();
            fromChild[2] = fromChild[2] with { Origin = VersionIdentity.Initial };
            await apply.ApplyFromChildAsync(SyncTables.Organizations, fromChild, child, Token);
            await apply.CommitAsync(Token);
        }

        var changes = (await db.ChangesAsync(SyncTables.Organizations)).ToDictionary(c => c.Key);
        Assert.Equal((new VersionIdentity(child, 9), new VersionIdentity(Peer, 3)), (changes[SampleRows.City].Origin!.Value, changes[SampleRows.City].Base!.Value));
        Assert.Equal(VersionIdentity.Initial, changes[SampleRows.Grassroots].Origin);
        Assert.Null(changes[SampleRows.Grassroots].Base);
        Assert.Empty(await db.ChangesAsync(SyncTables.Organizations, excluded: child));
    }

    [Fact]
    public async Task a_batch_disposed_without_commit_applies_nothing_and_local_writes_are_tracked_again()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Organizations, Upserts(SyncTables.Organizations, SampleRows.Organizations(), 7), Peer, Token);
            await apply.RecordBatchAsync(new BatchId(Guid.CreateVersion7(), SyncDirection.Upload, 1), Token);
        }

        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM organizations"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_tracking"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_applied_batches"));

        // Pooled connections must not keep the triggers switched off.
        for (var i = 0; i < 3; i++)
        {
            await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(Guid.CreateVersion7(), null, 1, "本地"));
        }

        Assert.Equal(3, await db.ScalarAsync($"SELECT COUNT(*) FROM unionsync_tracking WHERE origin_node_no = (SELECT node_no FROM unionsync_node)"));
    }

    [Fact]
    public async Task an_applied_transfer_is_logged_as_a_move_for_the_nodes_own_children()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OtherOrg, SampleRows.City, 2, "海淀区总工会"));
        var moved = SampleRows.Members()[0];
        moved[SyncTables.Members.IndexOf("organization_id")] = OtherOrg;

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Members, Upserts(SyncTables.Members, [moved], 9), Peer, Token);
            var moves = await apply.ReadMovesAsync("members", [SampleRows.MemberA], 0, Token);
            Assert.Equal((SampleRows.Grassroots, OtherOrg), (Assert.Single(moves).FromOrganization, Assert.Single(moves).ToOrganization));
            Assert.Equal(OtherOrg, (await apply.ReadMemberOrganizationsAsync([SampleRows.MemberA], Token))[SampleRows.MemberA]);
            await apply.CommitAsync(Token);
        }

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        Assert.Single(await SqlServerSyncDatabase.ToListAsync(snapshot.ReadMovesAsync(0, Token)));
    }

    /// <summary>
    /// A row brought back over its tombstone at another organisation than the tombstone's has moved for this node's
    /// children (they may still hold it where it sat): the move is logged; brought back where it was, it is no move. A
    /// delete's tombstone is placed where the row sat here, whatever organisation the sender names.
    /// </summary>
    [Fact]
    public async Task a_row_brought_back_over_its_tombstone_at_another_organisation_is_logged_as_a_move()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        var newHolder = Guid.Parse("0190f5a2-7c1e-7d3a-9b4e-5f6a7b8c9e04");
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertOrganizationSql(OtherOrg, SampleRows.City, 2, "海淀区总工会"));
        await db.ExecuteAsync(SqlServerSyncDatabase.InsertMemberSql(newHolder, OtherOrg, "110105199001010017"));
        var (members, cards) = (SampleRows.Members(), SampleRows.ServiceCards());
        var (movedMember, stayingMember, movedCard) = (members[1], members[2], cards[1]);
        movedMember[SyncTables.Members.IndexOf("organization_id")] = OtherOrg;
        movedCard[SyncTables.ServiceCards.IndexOf("member_id")] = newHolder;

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.ServiceCards, [Delete(SyncTables.ServiceCards, cards[1], 2, null), Delete(SyncTables.ServiceCards, cards[2], 3, null)], Peer, Token);
            await apply.ApplyAsync(SyncTables.Members, [Delete(SyncTables.Members, movedMember, 4, OtherOrg), Delete(SyncTables.Members, stayingMember, 5, null)], Peer, Token);
            await apply.CommitAsync(Token);
        }

        var tombstones = (await db.ChangesAsync(SyncTables.Members)).Where(c => c.Kind == ChangeKind.Delete).ToList();
        Assert.Equal(2, tombstones.Count);
        Assert.All(tombstones, t => Assert.Equal(SampleRows.Grassroots, t.ScopeOrganization));
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Members, Upserts(SyncTables.Members, [movedMember, stayingMember], 6), Peer, Token);
            await apply.ApplyAsync(SyncTables.ServiceCards, Upserts(SyncTables.ServiceCards, [movedCard], 7), Peer, Token);
            var member = Assert.Single(await apply.ReadMovesAsync("members", [SampleRows.MemberB, SampleRows.MemberC], 0, Token));
            Assert.Equal((SampleRows.MemberB, (Guid?)SampleRows.Grassroots, (Guid?)OtherOrg), (member.Key, member.FromOrganization, member.ToOrganization));
            var card = Assert.Single(await apply.ReadMovesAsync("service_cards", [(Guid)movedCard[0]!], 0, Token));
            Assert.Equal(((Guid)movedCard[0]!, (Guid?)SampleRows.Grassroots, (Guid?)OtherOrg), (card.Key, card.FromOrganization, card.ToOrganization));
            await apply.CommitAsync(Token);
        }
    }

    [Fact]
    public async Task removing_a_subtree_locally_deletes_its_rows_and_tracking_and_leaves_no_tombstone()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        await db.ExecuteAsync($"UPDATE members SET skill_level = 2 WHERE id = '{SampleRows.MemberB}';");

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [SampleRows.District], Token);
            Assert.Equal([SampleRows.City], await apply.ReadSubtreeAsync(SampleRows.City, Token));
            await apply.CommitAsync(Token);
        }

        Assert.Equal(1, await db.ScalarAsync("SELECT COUNT(*) FROM organizations"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM members"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM service_cards"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_tracking"));
    }

    [Fact]
    public async Task removing_locally_logs_one_move_per_key_given_and_none_for_the_dependents()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server, seed: true);
        long since;
        await using (var before = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            since = before.Watermark;
        }

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RemoveLocallyAsync(SyncTables.Members, [SampleRows.MemberA], Token);
            await apply.RemoveLocallyAsync(SyncTables.Organizations, [SampleRows.District], Token);
            await apply.CommitAsync(Token);
        }

        List<ScopeMove> moves;
        await using (var after = await db.Provider.Changes.OpenSnapshotAsync(Token))
        {
            moves = await SqlServerSyncDatabase.ToListAsync(after.ReadMovesAsync(since, Token));
        }

        Assert.Equal(
            [("members", SampleRows.MemberA, (Guid?)SampleRows.Grassroots, (Guid?)null), ("organizations", SampleRows.District, (Guid?)SampleRows.City, (Guid?)null)],
            moves.Select(m => (m.Table, m.Key, m.FromOrganization, m.ToOrganization)).OrderBy(m => m.Table, StringComparer.Ordinal).ToList());
        Assert.All(moves, m => Assert.True(m.Version >= since));
        Assert.Equal(2, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_moves"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM members"));
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM unionsync_tracking"));
    }

    [Fact]
    public async Task a_conflict_recorded_in_a_batch_is_listed_with_microseconds()
    {
        await using var db = await SqlServerSyncDatabase.CreateAsync(server);
        var conflict = new ConflictRecord(
            0, "members", SampleRows.MemberA, "update-update", "{\"skill_level\":5}", "{\"skill_level\":1}", new VersionIdentity(db.NodeId, 4),
            new VersionIdentity(Peer, 2), db.NodeId, Peer, "parent-wins", "parent kept", "resolved", SampleRows.Micro);

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.RecordConflictAsync(conflict, Token);
            await apply.CommitAsync(Token);
        }

        var listed = Assert.Single(await SqlServerSyncDatabase.ToListAsync(db.Provider.Metadata.ListConflictsAsync(Token)));
        Assert.Equal(conflict with { Id = listed.Id }, listed);
    }

    private static RowChange Delete(TableDescription table, object?[] row, long version, Guid? scope) =>
        new() { Table = table, Key = (Guid)row[table.KeyOrdinal]!, Kind = ChangeKind.Delete, Origin = new VersionIdentity(Peer, version), ScopeOrganization = scope };

    private static List<RowChange> Upserts(TableDescription table, object?[][] rows, long version) =>
        [.. rows.Select(r => new RowChange { Table = table, Key = (Guid)r[table.KeyOrdinal]!, Kind = ChangeKind.Upsert, Values = r, Origin = new VersionIdentity(Peer, version) })];
}
