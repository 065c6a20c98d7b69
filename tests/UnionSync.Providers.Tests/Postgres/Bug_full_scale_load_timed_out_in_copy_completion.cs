using Npgsql;
using UnionSync.Providers.Postgres;
using UnionSync.Sync.Schema;
using UnionSync.Testing.Postgres;

namespace UnionSync.Providers.Tests.Postgres;

/// <summary>
/// A 4.3 M-member load failed in <c>NpgsqlBinaryImporter.CompleteAsync</c> with a read timeout: the server checks the
/// foreign keys of every copied row when the COPY ends, which takes longer than the 30 s command timeout. A bulk load's
/// completion must not be bound by the command timeout.
/// </summary>
[Trait("db", "postgres")]
public sealed class Bug_full_scale_load_timed_out_in_copy_completion(PostgresServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_copy_whose_completion_outlasts_the_command_timeout_completes()
    {
        server.EnsureAvailable();
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync(Token)) { CommandTimeout = 1 }.ConnectionString;
        await using var provider = new PostgresProviderFactory().Create(connectionString);
        await provider.Schema.MigrateAsync(Token);
        await using (var slow = provider.DataSource.CreateCommand(
            """
            CREATE FUNCTION slow_end_of_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2.5); RETURN NULL; END $$;
            CREATE TRIGGER slow_end_of_copy AFTER INSERT ON organizations FOR EACH STATEMENT EXECUTE FUNCTION slow_end_of_copy();
            """))
        {
            await slow.ExecuteNonQueryAsync(Token);
        }

        var city = new object?[]
        {
            Guid.CreateVersion7(), null, (short)1, "北京市总工会", null, "110000", "active",
            new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 8, 30, 0, DateTimeKind.Utc),
        };
        await using (var load = await provider.BulkLoader.BeginAsync(Token))
        {
            await using var writer = await load.OpenTableAsync(SyncTables.Organizations, Token);
            await writer.WriteAsync(city, Token);
            Assert.Equal(1, await writer.CompleteAsync(Token));
            await load.CommitAsync(Token);
        }

        await using var count = provider.DataSource.CreateCommand("SELECT count(*) FROM organizations");
        Assert.Equal(1L, await count.ExecuteScalarAsync(Token));
    }
}
