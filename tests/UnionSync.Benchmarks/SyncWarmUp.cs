using System.Globalization;
using UnionSync.Seeding;
using UnionSync.Sync.Engine;

namespace UnionSync.Benchmarks;

/// <summary>
/// Warms a fresh <c>sync-once</c> process up before its timed sync, as the long-running benchmark process (or hub) is
/// warm: a throw-away federation of 1,000 members generated into a database of the parent's kind (a temp SQLite file,
/// or a temp database on the same PostgreSQL server), loaded into a temp SQLite child, then edited on both sides and
/// synced twice (upload, download and conflicts under the timed parent's policy), then a no-op sync. Everything it made
/// is deleted before it returns. A second or two (more on a busy machine); nothing is timed.
/// </summary>
internal static class SyncWarmUp
{
    private const int Members = 1_000;
    private const int Rounds = 2;
    private const string ChildEdit = "UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 100)";

    public static async Task RunAsync(SyncOnceRequest request, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(request.WarmUpDirectory, "sync-once-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        await using var postgres = request.Parent.IsPostgres ? await PostgresServer.OpenAsync(request.Parent.ConnectionString, request.DatabasePrefix, cancellationToken) : null;
        try
        {
            var parent = postgres is null
                ? BenchDatabase.Sqlite(BenchDatabases.SqliteConnectionString(folder, "parent"))
                : BenchDatabase.Postgres(await postgres.CreateDatabaseAsync("warmup", cancellationToken));
            var child = BenchDatabase.Sqlite(BenchDatabases.SqliteConnectionString(folder, "child"));
            Guid city;
            await using (var provider = parent.Open())
            {
                await provider.Schema.MigrateAsync(cancellationToken);
                await new FederationGenerator().GenerateAsync(provider, new GeneratorOptions { Members = Members, Seed = 99 }, progress: null, cancellationToken);
                city = (await PlainSql.IdsAsync(provider, SyncScenarios.CityQuery, cancellationToken)).Single();
            }

            var engine = new SyncEngine();
            await SyncAsync(engine, parent, child, city, cancellationToken);
            if (request.Policy is { } policy)
            {
                await using var provider = parent.Open();
                await provider.Metadata.SetPolicyAsync("members", policy, cancellationToken);
            }

            for (var round = 1; round <= Rounds; round++)
            {
                // The first 20 members change at both sides: conflicts; the other 80 child edits go up, the 20 parent rows (re-sent or merged) down.
                await ExecuteAsync(parent, string.Create(CultureInfo.InvariantCulture,
                    $"UPDATE members SET phone = '1380000{round:D4}' WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 20)"), cancellationToken);
                await ExecuteAsync(child, ChildEdit, cancellationToken);
                await SyncAsync(engine, parent, child, null, cancellationToken);
            }

            await SyncAsync(engine, parent, child, null, cancellationToken);
        }
        finally
        {
            BenchDatabases.DeleteSqlite(Path.Combine(folder, "parent.db"));
            BenchDatabases.DeleteSqlite(Path.Combine(folder, "child.db"));
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A sync as the timed one runs it, but without a collection or a reset of the peak RSS.</summary>
    private static async Task SyncAsync(SyncEngine engine, BenchDatabase parent, BenchDatabase child, Guid? scope, CancellationToken cancellationToken)
    {
        await using var parentProvider = parent.Open();
        await using var childProvider = child.Open();
        await engine.SyncAsync(parentProvider, childProvider, new SyncOptions { Scope = scope }, progress: null, cancellationToken);
    }

    private static async Task ExecuteAsync(BenchDatabase database, string statement, CancellationToken cancellationToken)
    {
        await using var provider = database.Open();
        await PlainSql.ExecuteAsync(provider, statement, cancellationToken);
    }
}
