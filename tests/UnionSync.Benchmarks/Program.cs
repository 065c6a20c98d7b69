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
var skipPostgres = new Option<bool>("--no-postgres") { Description = "Measure SQLite only." };
var workDirectory = new Option<DirectoryInfo?>("--work-dir") { Description = "Where the SQLite files go (default: a temp folder, deleted after)." };

var root = new RootCommand("UnionSync benchmarks: prints a Markdown table of each figure next to the raw bulk copy of the same rows measured in the same run.")
{
    members, seed, postgres, skipPostgres, workDirectory,
};

root.SetAction(async (parseResult, cancellationToken) =>
{
    var settings = new BenchmarkSettings(
        parseResult.GetValue(members),
        parseResult.GetValue(seed),
        parseResult.GetValue(postgres) ?? Environment.GetEnvironmentVariable("UNIONSYNC_PG"),
        !parseResult.GetValue(skipPostgres),
        parseResult.GetValue(workDirectory)?.FullName);
    if (settings.Members <= 0)
    {
        await Console.Error.WriteLineAsync($"--members must be a positive number of members; it is {settings.Members}.");
        return 2;
    }

    return await BenchmarkRunner.RunAsync(settings, Console.Out, cancellationToken);
});

return await root.Parse(args).InvokeAsync();
