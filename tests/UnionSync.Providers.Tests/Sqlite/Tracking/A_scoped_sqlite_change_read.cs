using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.Sqlite.Tracking;

/// <summary>
/// A change read bound to a subtree finds its scope by walking up from the changed rows' organisations: changes two and
/// three levels below the root are in, a sibling district's are out, a tombstone goes where its organisation was.
/// </summary>
[Trait("db", "sqlite")]
public sealed class A_scoped_sqlite_change_read
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task finds_the_changes_at_every_depth_of_the_subtree_and_none_outside_it()
    {
        await using var db = await TrackedSqliteDatabase.CreateAsync(members: 2_000, provision: true, Token);
        const string DistrictOf = "(SELECT s.parent_id FROM organizations s WHERE s.id = g.parent_id)";
        var member = Guid.Parse(await db.TextAsync(
            "SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.level = 4 " +
            "AND EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token));
        var grassroots = Guid.Parse(await db.TextAsync($"SELECT organization_id FROM members WHERE id = '{member}'", Token));
        var street = Guid.Parse(await db.TextAsync($"SELECT parent_id FROM organizations WHERE id = '{grassroots}'", Token));
        var district = Guid.Parse(await db.TextAsync($"SELECT parent_id FROM organizations WHERE id = '{street}'", Token));
        var card = Guid.Parse(await db.TextAsync($"SELECT id FROM service_cards WHERE member_id = '{member}' ORDER BY id LIMIT 1", Token));
        var outside = Guid.Parse(await db.TextAsync(
            $"SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE g.level = 4 AND {DistrictOf} <> '{district}' " +
            "AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token));
        var deleted = Guid.Parse(await db.TextAsync(
            $"SELECT m.id FROM members m JOIN organizations g ON g.id = m.organization_id WHERE {DistrictOf} = '{district}' AND m.organization_id <> '{grassroots}' " +
            "AND NOT EXISTS (SELECT 1 FROM service_cards c WHERE c.member_id = m.id) ORDER BY m.id LIMIT 1", Token));
        var since = (long)(await db.ScalarAsync("SELECT coalesce(max(version), 0) FROM unionsync_tracking", Token))!;

        await db.ExecuteRawAsync(
            $"UPDATE members SET skill_level = 4 WHERE id IN ('{member}', '{outside}'); UPDATE service_cards SET bank = 'BOC' WHERE id = '{card}'; " +
            $"UPDATE organizations SET name = name || ' (renamed)' WHERE id = '{street}'; DELETE FROM members WHERE id = '{deleted}';",
            Token);

        var members = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, district, null), Token);
        Assert.Equal(new[] { member, deleted }.Order(), members.Select(c => c.Key));
        Assert.Equal(ChangeKind.Delete, members.Single(c => c.Key == deleted).Kind);
        Assert.Equal([card], (await db.ReadChangesAsync(new ChangeQuery(SyncTables.ServiceCards, since, district, null), Token)).Select(c => c.Key));
        Assert.Equal([street], (await db.ReadChangesAsync(new ChangeQuery(SyncTables.Organizations, since, district, null), Token)).Select(c => c.Key));
        Assert.Equal([member], (await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, grassroots, null), Token)).Select(c => c.Key));
        Assert.Empty(await db.ReadChangesAsync(new ChangeQuery(SyncTables.Organizations, since, grassroots, null), Token));

        var everywhere = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, null, null), Token);
        Assert.Equal(new[] { member, deleted, outside }.Order(), everywhere.Select(c => c.Key));

        // The tombstones alone, as a download's second pass reads them: in the scope and everywhere, none for a scope without one.
        var tombstones = await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, district, null) { TombstonesOnly = true }, Token);
        var tombstone = Assert.Single(tombstones);
        Assert.Equal((deleted, ChangeKind.Delete), (tombstone.Key, tombstone.Kind));
        Assert.Equal([deleted], (await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, null, null) { TombstonesOnly = true }, Token)).Select(c => c.Key));
        Assert.Empty(await db.ReadChangesAsync(new ChangeQuery(SyncTables.Members, since, grassroots, null) { TombstonesOnly = true }, Token));
        Assert.Empty(await db.ReadChangesAsync(new ChangeQuery(SyncTables.ServiceCards, since, district, null) { TombstonesOnly = true }, Token));
    }
}
