using Npgsql;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres.Tracking;

/// <summary>
/// DESIGN §7, the watermark race: a transaction open during a sync commits later than one that a snapshot already
/// shipped. Selecting by transaction id against the snapshot's xmin ships it next time; a sequence watermark would not.
/// </summary>
[Trait("db", "postgres")]
public sealed class The_postgres_watermark_race(PostgresServerFixture server)
{
    /// <summary>The version a write took: in the change log until a fold moves it into the tracking rows.</summary>
    private const string VersionSql =
        "SELECT version FROM unionsync_changes WHERE id = @id UNION ALL SELECT version FROM unionsync_tracking WHERE id = @id LIMIT 1";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ships_a_row_with_a_lower_version_committed_after_the_snapshot_next_time()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        Guid early = Guid.CreateVersion7(), late = Guid.CreateVersion7();

        await using var t1 = new NpgsqlConnection(db.ConnectionString);
        await t1.OpenAsync(Token);
        await using var transaction = await t1.BeginTransactionAsync(Token);
        await InsertAsync(t1, transaction, early);

        await using (var t2 = new NpgsqlConnection(db.ConnectionString))
        {
            await t2.OpenAsync(Token);
            await InsertAsync(t2, null, late);
        }

        var (watermark, first) = await db.ReadChangesAsync(SyncTables.Organizations, 0, Token);
        Assert.Equal([late], first.Select(c => c.Key));

        await transaction.CommitAsync(Token);
        var versions = await VersionsAsync(db, early, late);
        Assert.True(versions.Early < versions.Late, "the open transaction's row has the lower sequence value: a sequence watermark would skip it");

        var (_, second) = await db.ReadChangesAsync(SyncTables.Organizations, watermark, Token);
        Assert.Contains(early, second.Select(c => c.Key));
        Assert.Equal(new[] { early, late }.Order(), first.Concat(second).Select(c => c.Key).Distinct().Order());
    }

    [Fact]
    public async Task ships_a_row_of_a_transaction_begun_before_the_snapshot_and_written_after_it()
    {
        server.EnsureAvailable();
        await using var db = await PostgresTrackingDatabase.CreateAsync(server, 0, Token);
        await db.Provider.Tracking.ProvisionAsync(Token);
        Guid early = Guid.CreateVersion7(), late = Guid.CreateVersion7();

        // T1 takes its transaction id first (it is older than T2) but writes only after T2 committed and the snapshot was read.
        await using var t1 = new NpgsqlConnection(db.ConnectionString);
        await t1.OpenAsync(Token);
        await using var transaction = await t1.BeginTransactionAsync(Token);
        await using (var take = new NpgsqlCommand("SELECT pg_current_xact_id()", t1, transaction))
        {
            await take.ExecuteScalarAsync(Token);
        }

        await using (var t2 = new NpgsqlConnection(db.ConnectionString))
        {
            await t2.OpenAsync(Token);
            await InsertAsync(t2, null, late);
        }

        var (watermark, first) = await db.ReadChangesAsync(SyncTables.Organizations, 0, Token);
        Assert.Equal([late], first.Select(c => c.Key));

        await InsertAsync(t1, transaction, early);
        var (_, meanwhile) = await db.ReadChangesAsync(SyncTables.Organizations, watermark, Token);
        Assert.DoesNotContain(early, meanwhile.Select(c => c.Key));
        await transaction.CommitAsync(Token);

        var (next, second) = await db.ReadChangesAsync(SyncTables.Organizations, watermark, Token);
        Assert.Contains(early, second.Select(c => c.Key));
        Assert.True(next >= watermark);
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id)
    {
        await using var command = new NpgsqlCommand(PostgresTrackingDatabase.InsertOrganizationSql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<(long Early, long Late)> VersionsAsync(PostgresTrackingDatabase db, Guid early, Guid late) =>
        (await db.ScalarAsync<long>(VersionSql, Token, ("id", early)), await db.ScalarAsync<long>(VersionSql, Token, ("id", late)));

}
