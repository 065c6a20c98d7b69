using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>Selecting changes and rows by scope and by the peer they came from.</summary>
[Trait("db", "postgres")]
public sealed class A_postgres_change_query(PostgresServerFixture server)
{
    private static readonly Guid Peer = Guid.Parse("0190a000-0000-7000-8000-0000000000cc");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task selects_only_changes_and_tombstones_of_the_scope_and_not_from_the_excluded_peer()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 1_000, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var orgA = await db.AnyAsync("SELECT organization_id FROM members GROUP BY organization_id HAVING count(*) >= 3 ORDER BY organization_id LIMIT 1", Token);
        var orgB = await db.AnyAsync($"SELECT organization_id FROM members WHERE organization_id <> '{orgA}' ORDER BY organization_id LIMIT 1", Token);
        var inA = await db.AnyAsync($"SELECT id FROM members WHERE organization_id = '{orgA}' ORDER BY id LIMIT 1", Token);
        var deletedInA = await db.AnyAsync(
            $"SELECT m.id FROM members m WHERE m.organization_id = '{orgA}' AND m.id <> '{inA}' AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1",
            Token);
        var inB = await db.AnyAsync($"SELECT id FROM members WHERE organization_id = '{orgB}' ORDER BY id LIMIT 1", Token);
        var fromPeer = await db.AnyAsync($"SELECT id FROM members WHERE organization_id = '{orgA}' AND id NOT IN ('{inA}', '{deletedInA}') ORDER BY id LIMIT 1", Token);

        await db.ExecuteAsync($"UPDATE members SET skill_level = 4 WHERE id IN ('{inA}', '{inB}')", Token);
        await db.ExecuteAsync($"DELETE FROM members WHERE id = '{deletedInA}'", Token);
        var row = await A_postgres_apply_transaction.ReadRowAsync(db, SyncTables.Members, fromPeer);
        row[SyncTables.Members.IndexOf("skill_level")] = (short)0;
        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(SyncTables.Members, [A_postgres_apply_transaction.Upsert(row, new(Peer, 5))], Peer, Token);
            await apply.CommitAsync(Token);
        }

        var (_, scopeA) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, scopeRoot: orgA, excludedPeer: Peer);
        Assert.Equal(new[] { inA, deletedInA }.Order(), scopeA.Select(c => c.Key));
        Assert.Equal(orgA, scopeA.Single(c => c.Kind == ChangeKind.Delete).ScopeOrganization);

        var (_, scopeAWithPeer) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, scopeRoot: orgA);
        Assert.Equal(new[] { inA, deletedInA, fromPeer }.Order(), scopeAWithPeer.Select(c => c.Key));

        var (_, everything) = await db.ReadChangesAsync(SyncTables.Members, 0, Token);
        Assert.Equal(new[] { inA, deletedInA, inB, fromPeer }.Order(), everything.Select(c => c.Key));

        var root = await db.AnyAsync("SELECT id FROM organizations WHERE parent_id IS NULL", Token);
        var (_, fromRoot) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, scopeRoot: root);
        Assert.Equal(everything.Select(c => c.Key), fromRoot.Select(c => c.Key));

        // The tombstones alone, as a download's second pass reads them.
        var (_, tombstonesA) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, scopeRoot: orgA, excludedPeer: Peer, tombstonesOnly: true);
        var tombstone = Assert.Single(tombstonesA);
        Assert.Equal((deletedInA, ChangeKind.Delete, (Guid?)orgA), (tombstone.Key, tombstone.Kind, tombstone.ScopeOrganization));
        var (_, allTombstones) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, tombstonesOnly: true);
        Assert.Equal([deletedInA], allTombstones.Select(c => c.Key));
        var (_, tombstonesB) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, scopeRoot: orgB, tombstonesOnly: true);
        Assert.Empty(tombstonesB);
    }

    /// <summary>The scope of a change read is walked up from the changed rows' organisations: every depth below the root is in, a sibling district is out.</summary>
    [Fact]
    public async Task finds_the_changes_at_every_depth_of_the_subtree_and_none_outside_it()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 1_000, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        const string DistrictOf = "(SELECT s.parent_id FROM organizations s WHERE s.id = g.parent_id)";
        var member = await db.AnyAsync(
            "SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.level = 4 " +
            "AND EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token);
        var grassroots = await db.AnyAsync($"SELECT organization_id FROM members WHERE id = '{member}'", Token);
        var street = await db.AnyAsync($"SELECT parent_id FROM organizations WHERE id = '{grassroots}'", Token);
        var district = await db.AnyAsync($"SELECT parent_id FROM organizations WHERE id = '{street}'", Token);
        var card = await db.AnyAsync($"SELECT id FROM service_cards WHERE member_id = '{member}' ORDER BY id LIMIT 1", Token);
        var outside = await db.AnyAsync(
            $"SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.level = 4 AND {DistrictOf} <> '{district}' " +
            "AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token);
        var deleted = await db.AnyAsync(
            $"SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE {DistrictOf} = '{district}' AND m.organization_id <> '{grassroots}' " +
            "AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token);
        var (since, _) = await db.ReadChangesAsync(SyncTables.Members, 0, Token);

        await db.ExecuteAsync(
            $"UPDATE members SET skill_level = 4 WHERE id IN ('{member}', '{outside}'); UPDATE service_cards SET bank = 'BOC' WHERE id = '{card}'; " +
            $"UPDATE organizations SET name = name || ' (renamed)' WHERE id = '{street}'; DELETE FROM members WHERE id = '{deleted}'",
            Token);

        // Rows committed before the watermark may come again (another database's open transaction can hold xmin back): the
        // assertions are on the keys changed here.
        Guid[] changed = [member, deleted, outside, card, street];
        async Task<Guid[]> ScopedAsync(TableDescription table, Guid root) =>
            [.. (await db.ReadChangesAsync(table, since, Token, scopeRoot: root)).Changes.Select(c => c.Key).Where(changed.Contains)];
        Assert.Equal(new[] { member, deleted }.Order(), await ScopedAsync(SyncTables.Members, district));
        Assert.Equal([card], await ScopedAsync(SyncTables.ServiceCards, district));
        Assert.Equal([street], await ScopedAsync(SyncTables.Organizations, district));
        Assert.Equal([member], await ScopedAsync(SyncTables.Members, grassroots));
        Assert.Empty(await ScopedAsync(SyncTables.Organizations, grassroots));
        Assert.Equal(new[] { member, deleted, outside }.Order(), (await db.ReadChangesAsync(SyncTables.Members, since, Token)).Changes.Select(c => c.Key).Where(changed.Contains));
    }

    [Fact]
    public async Task sends_a_tombstone_whose_scope_organisation_no_longer_exists_to_every_scope()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        Guid root = Guid.CreateVersion7(), gone = Guid.CreateVersion7(), child = Guid.CreateVersion7(), other = Guid.CreateVersion7();
        await db.ExecuteAsync(
            "INSERT INTO organizations (id, parent_id, level, name, district_code, status, created_at, updated_at) VALUES " +
            $"('{root}', NULL, 1, 'city', '110000', 'active', now(), now()), ('{gone}', '{root}', 2, 'd1', '110105', 'active', now(), now()), " +
            $"('{child}', '{gone}', 3, 's1', '110105', 'active', now(), now()), ('{other}', '{root}', 2, 'd2', '110106', 'active', now(), now())",
            Token);
        var (start, _) = await db.ReadChangesAsync(SyncTables.Organizations, 0, Token);

        await db.ExecuteAsync($"DELETE FROM organizations WHERE id = '{child}'; DELETE FROM organizations WHERE id = '{gone}'", Token);

        var (_, inOther) = await db.ReadChangesAsync(SyncTables.Organizations, start, Token, scopeRoot: other);
        // Rows committed before the watermark may come again (another database's open transaction can hold xmin back): harmless.
        var tombstone = Assert.Single(inOther, c => c.Kind == ChangeKind.Delete);
        Assert.DoesNotContain(inOther, c => c.Key == gone || (c.Key == child && c.Kind == ChangeKind.Upsert));
        Assert.Equal((child, ChangeKind.Delete, (Guid?)gone), (tombstone.Key, tombstone.Kind, tombstone.ScopeOrganization));
        var (_, inRoot) = await db.ReadChangesAsync(SyncTables.Organizations, start, Token, scopeRoot: root);
        Assert.Equal(new[] { gone, child }.Order(), inRoot.Where(c => c.Kind == ChangeKind.Delete).Select(c => c.Key));
    }

    /// <summary>
    /// A street holds a small share of the organisations and is read through the indexes; the city holds them all and is
    /// read by a scan in key order (<c>PostgresChangeSql.LargeScopeShare</c>). Both give the subtree's rows, in key order.
    /// </summary>
    [Theory]
    [InlineData("level = 3", false)]
    [InlineData("parent_id IS NULL", true)]
    public async Task reads_the_rows_of_a_subtree_in_key_order_with_their_identities(string root, bool large)
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 1_000, Token);
        var nodeId = await db.Provider.Tracking.ProvisionAsync(Token);
        var scope = await db.AnyAsync($"SELECT id FROM organizations WHERE {root} ORDER BY id LIMIT 1", Token);
        const string Subtree =
            "WITH RECURSIVE s AS (SELECT id FROM organizations WHERE id = @r UNION ALL SELECT o.id FROM organizations o JOIN s ON o.parent_id = s.id) ";
        Assert.Equal(large, await db.ScalarAsync<double>(Subtree + "SELECT count(*)::float8 / (SELECT count(*) FROM organizations) FROM s", Token, ("r", scope)) >= 0.25);
        await db.ExecuteAsync(
            Subtree + "UPDATE service_cards SET bank = 'BOC' WHERE id = (SELECT c.id FROM service_cards c JOIN members m ON m.id = c.member_id " +
            "WHERE m.organization_id IN (SELECT id FROM s) ORDER BY c.id LIMIT 1)",
            Token,
            ("r", scope));
        var expected = await db.ScalarAsync<long>(
            Subtree + "SELECT count(*) FROM service_cards c JOIN members m ON m.id = c.member_id WHERE m.organization_id IN (SELECT id FROM s)",
            Token,
            ("r", scope));
        var expectedMembers = await db.ScalarAsync<long>(Subtree + "SELECT count(*) FROM members WHERE organization_id IN (SELECT id FROM s)", Token, ("r", scope));

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var rows = new List<RowChange>();
        await foreach (var row in snapshot.ReadRowsAsync(SyncTables.ServiceCards, RowSelection.Subtree(scope), Token))
        {
            rows.Add(row);
        }

        var members = new List<Guid>();
        await foreach (var row in snapshot.ReadRowsAsync(SyncTables.Members, RowSelection.Subtree(scope), Token))
        {
            members.Add(row.Key);
        }

        Assert.True(expected > 0);
        Assert.Equal(expected, rows.Count);
        Assert.Equal(rows.Select(r => r.Key).Order(), rows.Select(r => r.Key));
        Assert.Equal(expectedMembers, members.Count);
        Assert.Equal(members.Order(), members);
        var tracked = Assert.Single(rows, r => r.Origin is not null);
        Assert.Equal(nodeId, tracked.Origin!.Value.Node);
        Assert.Equal("BOC", tracked.Values![SyncTables.ServiceCards.IndexOf("bank")]);
        Assert.Equal(rows.Count(r => r.Origin is null), rows.Count - 1);
        Assert.Contains(scope, await snapshot.ReadSubtreeAsync(scope, Token));
    }
}
