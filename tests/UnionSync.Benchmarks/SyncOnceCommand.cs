using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using UnionSync.Sync.Policies;

namespace UnionSync.Benchmarks;

/// <summary>
/// The hidden <c>sync-once</c> command, which the benchmark runs as a child process for each timed sync
/// (<see cref="ChildProcessSyncRunner"/>): a warm-up on a throw-away federation (<see cref="SyncWarmUp"/>), then exactly
/// one timed <c>SyncEngine.SyncAsync</c> between the two databases named, printed as one JSON line (<see cref="TimedSync"/>).
/// </summary>
internal sealed class SyncOnceCommand
{
    public const string Name = "sync-once";

    private const string PostgresKind = "postgres";
    private const string SqliteKind = "sqlite";

    private readonly Option<string> _parentKind = new("--parent-kind") { Description = "The parent's database kind.", Required = true };
    private readonly Option<string> _parent = new("--parent") { Description = "The parent's connection string.", Required = true };
    private readonly Option<string> _child = new("--child") { Description = "The child's connection string (SQLite).", Required = true };
    private readonly Option<Guid?> _scope = new("--scope") { Description = "The child's scope organisation, on its first sync." };
    private readonly Option<string?> _policy = new("--policy") { Description = "The members table's conflict policy at the parent: the warm-up parent gets the same." };
    private readonly Option<DirectoryInfo> _warmUpDirectory = new("--warm-up-dir")
    {
        Description = "Where the warm-up's throw-away SQLite files go.",
        DefaultValueFactory = _ => new DirectoryInfo(Path.GetTempPath()),
    };

    private readonly Option<string> _databasePrefix = new("--db-prefix")
    {
        Description = "Prefix of the warm-up's throw-away PostgreSQL database.",
        DefaultValueFactory = _ => PostgresServer.DefaultDatabasePrefix,
    };

    /// <summary>The arguments that run <paramref name="request"/> in a child process of this program.</summary>
    public static IEnumerable<string> Arguments(SyncOnceRequest request)
    {
        yield return Name;
        yield return "--parent-kind";
        yield return request.Parent.IsPostgres ? PostgresKind : SqliteKind;
        yield return "--parent";
        yield return request.Parent.ConnectionString;
        yield return "--child";
        yield return request.Child.ConnectionString;
        if (request.Scope is { } scope)
        {
            yield return "--scope";
            yield return scope.ToString("D", CultureInfo.InvariantCulture);
        }

        if (request.Policy is { } policy)
        {
            yield return "--policy";
            yield return policy.Name();
        }

        yield return "--warm-up-dir";
        yield return request.WarmUpDirectory;
        yield return "--db-prefix";
        yield return request.DatabasePrefix;
    }

    public Command Create()
    {
        _parentKind.AcceptOnlyFromAmong(PostgresKind, SqliteKind);
        var command = new Command(Name, "Internal: one warmed-up, timed sync between two databases, printed as one JSON line (the benchmark runs it as a child process).")
        {
            _parentKind, _parent, _child, _scope, _policy, _warmUpDirectory, _databasePrefix,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var parent = parseResult.GetValue(_parent)!;
            var prefix = parseResult.GetValue(_databasePrefix)!;
            if (!PostgresServer.IsValidDatabasePrefix(prefix))
            {
                await Console.Error.WriteLineAsync($"--db-prefix: '{prefix}' is not a valid database name prefix.");
                return 2;
            }

            var request = new SyncOnceRequest(
                parseResult.GetValue(_parentKind) == PostgresKind ? BenchDatabase.Postgres(parent) : BenchDatabase.Sqlite(parent),
                BenchDatabase.Sqlite(parseResult.GetValue(_child)!),
                parseResult.GetValue(_scope),
                parseResult.GetValue(_policy) is { } policy ? ConflictPolicies.Parse(policy) : null,
                parseResult.GetValue(_warmUpDirectory)!.FullName,
                prefix);
            var result = await RunAsync(request, cancellationToken);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, BenchJsonContext.Default.TimedSync));
            return 0;
        });
        return command;
    }

    /// <summary>The warm-up, the release of everything it held, then the timed sync (reset of the peak RSS included).</summary>
    private static async Task<TimedSync> RunAsync(SyncOnceRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await SyncWarmUp.RunAsync(request, cancellationToken);
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        stopwatch.Stop();
        var warmUpPeak = PeakMemory.PeakMebibytes();
        var timed = await new InProcessSyncRunner().SyncAsync(new SyncRun(Name, request.Parent, request.Child, request.Scope, request.Policy), cancellationToken);
        return timed with { WarmUpSeconds = stopwatch.Elapsed.TotalSeconds, WarmUpPeakRssMebibytes = warmUpPeak };
    }
}
