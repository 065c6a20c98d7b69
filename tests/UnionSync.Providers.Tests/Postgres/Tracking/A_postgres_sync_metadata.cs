using UnionSync.Sync.Changes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>Peers and checkpoints in PostgreSQL, and rows that arrive in their initial version.</summary>
[Trait("db", "postgres")]
public sealed class A_postgres_sync_metadata(PostgresServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task saves_and_updates_peers_and_finds_the_parent()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var metadata = db.Provider.Metadata;
        var parent = new PeerRecord(Guid.CreateVersion7(), PeerRole.Parent, Guid.CreateVersion7(), 10, 20, 1);
        var child = new PeerRecord(Guid.CreateVersion7(), PeerRole.Child, Guid.CreateVersion7(), 0, 0, 1);

        Assert.Null(await metadata.GetParentAsync(Token));
        await metadata.SavePeerAsync(parent, Token);
        await metadata.SavePeerAsync(child, Token);
        await metadata.SavePeerAsync(parent with { SentWatermark = 11, ReceivedWatermark = long.MaxValue - 1 }, Token);

        Assert.Equal(parent with { SentWatermark = 11, ReceivedWatermark = long.MaxValue - 1 }, await metadata.GetParentAsync(Token));
        Assert.Equal(child, await metadata.GetPeerAsync(child.PeerId, Token));
        Assert.Null(await metadata.GetPeerAsync(Guid.CreateVersion7(), Token));
    }

    [Fact]
    public async Task forwards_a_row_applied_in_its_initial_version_without_an_identity()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 20, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var peer = Guid.CreateVersion7();
        var row = await A_postgres_apply_transaction.ReadRowAsync(db, SyncTables.Members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        row[SyncTables.Members.IndexOf("phone")] = "13900000000";

        await using (var apply = await db.Provider.Applier.BeginAsync(Token))
        {
            await apply.ApplyAsync(
                SyncTables.Members,
                [new RowChange { Table = SyncTables.Members, Key = (Guid)row[0]!, Kind = ChangeKind.Upsert, Values = row }],
                peer,
                Token);
            await apply.CommitAsync(Token);
        }

        var (_, changes) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, excludedPeer: Guid.CreateVersion7());
        var change = Assert.Single(changes);
        Assert.Equal((null, null, "13900000000"), (change.Origin, change.Base, change.Values![SyncTables.Members.IndexOf("phone")]));
        var (_, toPeer) = await db.ReadChangesAsync(SyncTables.Members, 0, Token, excludedPeer: peer);
        Assert.Empty(toPeer);
    }

    [Fact]
    public async Task logs_a_card_move_only_when_the_cards_organisation_changes()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 1_000, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var card = await db.AnyAsync("SELECT id FROM service_cards ORDER BY id LIMIT 1", Token);
        var from = await db.AnyAsync($"SELECT m.organization_id FROM service_cards c JOIN members m ON m.id = c.member_id WHERE c.id = '{card}'", Token);
        var sameOrg = await db.AnyAsync(
            $"SELECT m.id FROM members m WHERE m.organization_id = '{from}' AND m.id <> (SELECT member_id FROM service_cards WHERE id = '{card}') ORDER BY m.id LIMIT 1", Token);
        var otherOrg = await db.AnyAsync($"SELECT m.id FROM members m WHERE m.organization_id <> '{from}' ORDER BY m.id LIMIT 1", Token);
        var to = await db.AnyAsync($"SELECT organization_id FROM members WHERE id = '{otherOrg}'", Token);

        await db.ExecuteAsync($"UPDATE service_cards SET member_id = '{sameOrg}' WHERE id = '{card}'", Token);
        await db.ExecuteAsync($"UPDATE service_cards SET member_id = '{otherOrg}' WHERE id = '{card}'", Token);

        await using var snapshot = await db.Provider.Changes.OpenSnapshotAsync(Token);
        var moves = new List<ScopeMove>();
        await foreach (var move in snapshot.ReadMovesAsync(0, Token))
        {
            moves.Add(move);
        }

        var logged = Assert.Single(moves);
        Assert.Equal(("service_cards", card, (Guid?)from, (Guid?)to), (logged.Table, logged.Key, logged.FromOrganization, logged.ToOrganization));
    }
}
