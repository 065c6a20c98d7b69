using System.CommandLine;
using System.Globalization;
using UnionSync.Cli.Terminal;
using UnionSync.Seeding;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Cli.Commands;

/// <summary><c>unionsync generate --db DB --members N [--seed S] [--json]</c> (DESIGN §6).</summary>
internal sealed class GenerateCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private readonly Option<string> _database = new("--db")
    {
        Description = "The target database as PROVIDER:CONNECTION-STRING, the provider one of sqlite, postgres, sqlserver "
            + "(e.g. \"sqlite:Data Source=grassroots.db\"). Its schema is created if missing; it must hold no organizations, members or service_cards.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<long> _members = new("--members")
    {
        Description = "How many members to write (1 to 50,000,000; the real federation has 4,300,000). Organisations and cards follow in proportion.",
        HelpName = "N",
        Required = true,
    };

    private readonly Option<long> _seed = new("--seed")
    {
        Description = "The random seed: the same seed and N give the same rows, byte for byte, on every run and every provider.",
        HelpName = "S",
        DefaultValueFactory = _ => GeneratorOptions.DefaultSeed,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object on stdout (counts, elapsed seconds, rows/s) and no progress bar.",
    };

    public Command Create()
    {
        var command = new Command(
            "generate",
            "Create the schema if missing and write a synthetic federation of N members (organisations and service cards in proportion) "
            + "through the database's bulk path, in one transaction: all of it or nothing. Refuses (exit 2) a database that already holds rows.")
        {
            _database,
            _members,
            _seed,
            _json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(_json);
        var console = new CommandOutput(output, error, json);
        try
        {
            var members = parseResult.GetValue(_members);
            if (members <= 0)
            {
                throw new SyncConfigurationException(string.Create(CultureInfo.InvariantCulture, $"--members must be a positive number of members; it is {members}."));
            }

            var options = new GeneratorOptions { Members = members, Seed = parseResult.GetValue(_seed) };
            var shape = FederationGenerator.Plan(options);
            await using var target = DatabaseProviders.Open(providers, parseResult.GetValue(_database)!, "--db");
            var generator = new FederationGenerator();
            var result = ProgressDisplay.ShouldShow(json)
                ? await ProgressDisplay.RunAsync(
                    error,
                    [(SyncTables.Organizations.Name, shape.Organizations), (SyncTables.Members.Name, shape.Members), (SyncTables.ServiceCards.Name, shape.Cards)],
                    progress => generator.GenerateAsync(target, options, progress, cancellationToken)).ConfigureAwait(false)
                : await generator.GenerateAsync(target, options, null, cancellationToken).ConfigureAwait(false);

            Report(console, target, options, result);
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private static void Report(CommandOutput console, IDatabaseProvider target, GeneratorOptions options, GenerationResult result)
    {
        if (console.Json)
        {
            console.WriteJson(new
            {
                command = "generate",
                database = target.Name,
                seed = options.Seed,
                organizations = result.Organizations,
                members = result.Members,
                cards = result.Cards,
                rows = result.TotalRows,
                elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
                rowsPerSecond = Math.Round(result.RowsPerSecond),
            });
            return;
        }

        var text = console.Out;
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generated a federation of {options.Members:N0} members (seed {options.Seed}) into {target.Describe()}:"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {SyncTables.Organizations.Name,-14} {result.Organizations,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {SyncTables.Members.Name,-14} {result.Members,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {SyncTables.ServiceCards.Name,-14} {result.Cards,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-14} {result.TotalRows,12:N0} rows in {result.Elapsed.TotalSeconds:N2} s ({result.RowsPerSecond:N0} rows/s)"));
    }
}
