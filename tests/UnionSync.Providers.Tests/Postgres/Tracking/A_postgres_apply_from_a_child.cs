using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>A child's changes applied at a middle tier keep the base agreed with that tier's own parent.</summary>
[Trait("db", "postgres")]
public sealed class A_postgres_apply_from_a_child(PostgresServerFixture server)
{
    private static readonly Guid Grandparent = Guid.Parse("0190a000-0000-7000-8000-0000000000d1");
    private static readonly Guid Child = Guid.Parse("0190a000-0000-7000-8000-0000000000d2");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task keeps_the_base_and_takes_the_childs_origin()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 20, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        var members = SyncTables.Members;
        var agreed = await A_postgres_apply_transaction.ReadRowAsync(db, members, await db.AnyAsync("SELECT id FROM members ORDER BY id LIMIT 1", Token));
        await using (var down = await db.Provider.Applier.BeginAsync(Token))
        {
            await down.ApplyAsync(members, [A_postgres_apply_transaction.Upsert(agreed, new(Grandparent, 41))], Grandparent, Token);
            await down.CommitAsync(Token);
        }

        var edited = (object?[])agreed.Clone();
        edited[members.IndexOf("skill_level")] = (short)5;
        var created = (object?[])agreed.Clone();
        created[0] = Guid.CreateVersion7();
        created[members.IndexOf("id_number")] = "11010519491231002X";
        await using (var up = await db.Provider.Applier.BeginAsync(Token))
        {
            await up.ApplyFromChildAsync(
                members,
                [A_postgres_apply_transaction.Upsert(edited, new(Child, 5)), A_postgres_apply_transaction.Upsert(created, VersionIdentity.Initial)],
                Child,
                Token);
            await up.CommitAsync(Token);
        }

        var (_, changes) = await db.ReadChangesAsync(members, 0, Token, excludedPeer: Grandparent);
        var forwarded = changes.Single(c => c.Key == (Guid)agreed[0]!);
        Assert.Equal((new VersionIdentity(Child, 5), new VersionIdentity(Grandparent, 41)), (forwarded.Origin!.Value, forwarded.Base!.Value));
        var initial = changes.Single(c => c.Key == (Guid)created[0]!);
        Assert.Equal((VersionIdentity.Initial, (VersionIdentity?)null), (initial.Origin!.Value, initial.Base));
        Assert.Empty((await db.ReadChangesAsync(members, 0, Token, excludedPeer: Child)).Changes);
    }
}
