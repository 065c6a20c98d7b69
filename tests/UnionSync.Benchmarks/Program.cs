using System.CommandLine;
using UnionSync.Benchmarks;

var members = new Option<long>("--members")
{
    Description = "Members in the generated federation (organisations and cards in proportion). 1000000 = 1.70 M rows.",
    DefaultValueFactory = _ => 100_000,
};
var seed = new Option<long>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 1 };
var postgres = new Option<string?>("--pg")
{
    Description = "Connection string of a PostgreSQL server where databases may be created; default: UNIONSYNC_PG, else a throw-away local cluster.",
};
var databasePrefix = new Option<string>("--db-prefix")
{
    Description = "Prefix of the PostgreSQL databases the benchmark creates (and drops): lower-case letters, digits and underscores, at most 30.",
    DefaultValueFactory = _ => PostgresServer.DefaultDatabasePrefix,
};
var inProcess = new Option<bool>("--in-process")
{
    Description = "Run each timed sync in this process, as before (its peak RSS then includes what earlier scenarios left); default: each in a fresh, warmed-up child process.",
};
var skipPostgres = new Option<bool>("--no-postgres") { Description = "Measure SQLite only." };
var workDirectory = new Option<DirectoryInfo?>("--work-dir") { Description = "Where the SQLite files go (default: a temp folder, deleted after)." };
var scenarios = new Option<string>("--scenarios")
{
    Description = "Which scenarios to run, comma-separated: generate (generator vs raw copy), sync (sync vs raw copy and raw UPDATE).",
    DefaultValueFactory = _ => "generate,sync",
};

var root = new RootCommand("UnionSync benchmarks: prints a Markdown table of each figure next to the raw bulk copy of the same rows measured in the same run.")
{
    members, seed, postgres, databasePrefix, skipPostgres, workDirectory, scenarios, inProcess,
    new SyncOnceCommand().Create(),
};

root.SetAction(async (parseResult, cancellationToken) =>
{
    var chosen = (parseResult.GetValue(scenarios) ?? string.Empty)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => s.ToLowerInvariant())
        .ToHashSet();
    var unknown = chosen.Where(s => s is not ("generate" or "sync")).ToList();
    if (chosen.Count == 0 || unknown.Count > 0)
    {
        await Console.Error.WriteLineAsync(
            $"--scenarios takes generate, sync or both (comma-separated); '{parseResult.GetValue(scenarios)}' names {(unknown.Count > 0 ? string.Join(", ", unknown) : "none")}.");
        return 2;
    }

    var settings = new BenchmarkSettings(
        parseResult.GetValue(members),
        parseResult.GetValue(seed),
        parseResult.GetValue(postgres) ?? Environment.GetEnvironmentVariable("UNIONSYNC_PG"),
        !parseResult.GetValue(skipPostgres),
        parseResult.GetValue(workDirectory)?.FullName,
        chosen.Contains("generate"),
        chosen.Contains("sync"),
        parseResult.GetValue(databasePrefix)!,
        parseResult.GetValue(inProcess));
    if (settings.Members <= 0)
    {
        await Console.Error.WriteLineAsync($"--members must be a positive number of members; it is {settings.Members}.");
        return 2;
    }

    if (!PostgresServer.IsValidDatabasePrefix(settings.DatabasePrefix))
    {
        await Console.Error.WriteLineAsync(
            $"--db-prefix must start with a lower-case letter and hold only lower-case letters, digits and underscores (at most 30); it is '{settings.DatabasePrefix}'.");
        return 2;
    }

    try
    {
        return await BenchmarkRunner.RunAsync(settings, Console.Out, cancellationToken);
    }
    catch (SyncChildProcessException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();
