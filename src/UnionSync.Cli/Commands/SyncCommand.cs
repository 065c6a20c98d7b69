using System.CommandLine;
using System.Globalization;
using UnionSync.Cli.Terminal;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli.Commands;

/// <summary><c>unionsync sync --parent DB --child DB [--scope ORG-ID] [--batch-size N] [--reinitialise] [--json]</c> (DESIGN §6).</summary>
internal sealed class SyncCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private readonly Option<string> _parent = new("--parent")
    {
        Description = "The parent database as PROVIDER:CONNECTION-STRING (e.g. \"sqlite:Data Source=city.db\"). It is provisioned for sync if it is not yet.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<string> _child = new("--child")
    {
        Description = "The child database as PROVIDER:CONNECTION-STRING. On its first sync it must be empty (it is created if missing) and is filled with its scope.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<string?> _scope = new("--scope")
    {
        Description = "The organisation whose subtree the child holds (its id). Needed on the child's first sync; later syncs read it from the child and refuse a different one.",
        HelpName = "ORG-ID",
    };

    private readonly Option<int> _batchSize = new("--batch-size")
    {
        Description = "Rows per batch; each batch is one transaction at the receiver.",
        HelpName = "N",
        DefaultValueFactory = _ => SyncOptions.DefaultBatchSize,
    };

    private readonly Option<bool> _reinitialise = new("--reinitialise")
    {
        Description = "Reinitialise the child: upload its unsent changes first, then clear its scope and load it again from the parent, keeping its node id and scope. "
            + "Needed when the parent has purged history the child never received (a sync then exits 1 saying so).",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object on stdout (rows up, rows down, conflicts, removals, elapsed seconds) and no progress bar.",
    };

    public Command Create()
    {
        var command = new Command(
            "sync",
            "One sync session between two databases, in process: the child's changes up to the parent, then the parent's down to the child. "
            + "Exit 0 on success, 1 when rows were rejected (a write outside the child's scope), a database refused the work or the child must be reinitialised "
            + "(it was away longer than the parent's retention window: run again with --reinitialise), 2 on bad usage (no --scope on a first sync, a different scope).")
        {
            _parent,
            _child,
            _scope,
            _batchSize,
            _reinitialise,
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
            var batchSize = parseResult.GetValue(_batchSize);
            if (batchSize < 1)
            {
                throw new SyncConfigurationException(string.Create(CultureInfo.InvariantCulture, $"--batch-size must be at least 1 row; it is {batchSize}."));
            }

            var options = new SyncOptions
            {
                Scope = SyncDatabases.ParseScope(parseResult.GetValue(_scope)),
                BatchSize = batchSize,
                Reinitialise = parseResult.GetValue(_reinitialise),
            };
            await using var parent = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_parent)!, "--parent").ConfigureAwait(false);
            await using var child = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_child)!, "--child").ConfigureAwait(false);
            var engine = new SyncEngine();
            var summary = ProgressDisplay.ShouldShow(json)
                ? await SyncProgressDisplay.RunAsync(error, progress => engine.SyncAsync(parent, child, options, progress, cancellationToken)).ConfigureAwait(false)
                : await engine.SyncAsync(parent, child, options, null, cancellationToken).ConfigureAwait(false);
            Report(console, parent, child, summary, options.Reinitialise);
            return ExitCodes.Success;
        }
        catch (ReinitialiseRequiredException ex) when (json)
        {
            // The one failure a script must tell apart from the others: it is answered by running again with --reinitialise.
            var failure = ErrorMapping.Map(ex);
            console.Error.WriteLine($"unionsync: error: {failure.Message}");
            console.WriteJson(new { error = failure.Message, exitCode = failure.ExitCode, reinitialiseRequired = true });
            return failure.ExitCode;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private static void Report(CommandOutput console, ISyncProvider parent, ISyncProvider child, SyncSummary summary, bool reinitialise)
    {
        if (console.Json)
        {
            console.WriteJson(new
            {
                command = "sync",
                parent = parent.Name,
                child = child.Name,
                scope = summary.Scope,
                initialLoad = summary.InitialLoad,
                reinitialised = reinitialise && summary.InitialLoad,
                rowsUp = summary.RowsUp,
                rowsDown = summary.RowsDown,
                conflicts = summary.Conflicts,
                removalsByScopeMove = summary.RemovalsByScopeMove,
                elapsedSeconds = Math.Round(summary.Elapsed.TotalSeconds, 3),
            });
            return;
        }

        var text = console.Out;
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Synced {child.Describe()} with its parent {parent.Describe()} (scope {summary.Scope:D}){(summary.InitialLoad ? (reinitialise ? ", reinitialised: changes uploaded, then the scope reloaded" : ", first sync: loaded the scope") : string.Empty)}:"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"rows up",-24} {summary.RowsUp,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"rows down",-24} {summary.RowsDown,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"conflicts",-24} {summary.Conflicts,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"removals by scope move",-24} {summary.RemovalsByScopeMove,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"time",-24} {summary.Elapsed.TotalSeconds,12:N2} s"));
    }
}
