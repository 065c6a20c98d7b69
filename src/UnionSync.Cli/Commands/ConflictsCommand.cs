using System.CommandLine;
using System.Globalization;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli.Commands;

/// <summary>
/// <c>unionsync conflicts list|show|resolve --db DB</c> (DESIGN §6): the conflict log kept in a parent's database, and
/// the operator's decision of a queued conflict, which then syncs like any change.
/// </summary>
internal sealed class ConflictsCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private const string DatabaseDescription = "The database whose conflict log to read (the parent of the syncs), as PROVIDER:CONNECTION-STRING.";

    private readonly Option<string> _listDb = CommandOptions.Database(DatabaseDescription);
    private readonly Option<string> _showDb = CommandOptions.Database(DatabaseDescription);
    private readonly Option<string> _resolveDb = CommandOptions.Database(DatabaseDescription);
    private readonly Option<bool> _listJson = CommandOptions.Json();
    private readonly Option<bool> _showJson = CommandOptions.Json();
    private readonly Option<bool> _resolveJson = CommandOptions.Json();
    private readonly Argument<long> _showId = IdArgument();
    private readonly Argument<long> _resolveId = IdArgument();

    private readonly Option<bool> _queued = new("--queued") { Description = "Only the conflicts waiting for a decision." };

    private readonly Option<int?> _limit = new("--limit")
    {
        Description = "At most this many, newest first.",
        HelpName = "N",
    };

    private readonly Option<string> _take = new("--take")
    {
        Description = "parent: the parent's version stays; child: the child's version replaces it, as a new change that syncs to every node holding the row.",
        HelpName = "parent|child",
        Required = true,
    };

    public Command Create()
    {
        var list = new Command("list", "The conflict log, newest first, one line each with its ID.") { _listDb, _queued, _limit, _listJson };
        list.SetAction(ListAsync);
        var show = new Command("show", "One conflict: both versions column by column (ID numbers masked), nodes, policy and outcome.") { _showId, _showDb, _showJson };
        show.SetAction(ShowAsync);
        var resolve = new Command("resolve", "Decide a queued conflict (policy manual): take the parent's or the child's version.") { _resolveId, _resolveDb, _take, _resolveJson };
        resolve.SetAction(ResolveAsync);
        return new Command("conflicts", "The conflict log kept in a parent's database (each sync records its conflicts there), and the queue of undecided ones.")
        {
            list,
            show,
            resolve,
        };
    }

    private static Argument<long> IdArgument() => new("ID") { Description = "The conflict's ID, as conflicts list shows it." };

    private async Task<int> ListAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var console = new CommandOutput(output, error, parseResult.GetValue(_listJson));
        try
        {
            var limit = parseResult.GetValue(_limit);
            if (limit is < 1)
            {
                throw new SyncConfigurationException(string.Create(CultureInfo.InvariantCulture, $"--limit must be at least 1; it is {limit}."));
            }

            await using var database = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_listDb)!, "--db").ConfigureAwait(false);
            var conflicts = new List<ConflictRecord>();
            if (await IsReadyAsync(database, cancellationToken).ConfigureAwait(false))
            {
                var queuedOnly = parseResult.GetValue(_queued);
                await foreach (var conflict in database.Metadata.ListConflictsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!queuedOnly || conflict.State == ConflictStates.Queued)
                    {
                        conflicts.Add(conflict);
                        if (conflicts.Count == limit)
                        {
                            break;
                        }
                    }
                }
            }

            if (console.Json)
            {
                console.WriteJson(new { command = "conflicts list", count = conflicts.Count, conflicts = conflicts.Select(ConflictView.Summary) });
                return ExitCodes.Success;
            }

            if (conflicts.Count == 0)
            {
                console.Out.WriteLine("No conflicts in this database's log.");
            }

            foreach (var conflict in conflicts)
            {
                console.Out.WriteLine(ConflictView.Line(conflict));
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private async Task<int> ShowAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var console = new CommandOutput(output, error, parseResult.GetValue(_showJson));
        try
        {
            var id = parseResult.GetValue(_showId);
            await using var database = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_showDb)!, "--db").ConfigureAwait(false);
            var conflict = await IsReadyAsync(database, cancellationToken).ConfigureAwait(false)
                ? await database.Metadata.GetConflictAsync(id, cancellationToken).ConfigureAwait(false)
                : null;
            if (conflict is null)
            {
                throw new SyncConfigurationException($"This database's conflict log has no conflict {id}; 'unionsync conflicts list' shows the ids.");
            }

            if (console.Json)
            {
                console.WriteJson(new { command = "conflicts show", conflict = ConflictView.Detail(conflict) });
            }
            else
            {
                ConflictView.Write(console.Out, conflict);
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private async Task<int> ResolveAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var console = new CommandOutput(output, error, parseResult.GetValue(_resolveJson));
        try
        {
            var id = parseResult.GetValue(_resolveId);
            var take = parseResult.GetValue(_take) switch
            {
                "parent" => ConflictChoice.Parent,
                "child" => ConflictChoice.Child,
                var other => throw new SyncConfigurationException($"--take is parent or child; it is '{other}'."),
            };
            await using var database = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_resolveDb)!, "--db").ConfigureAwait(false);
            if (!await IsReadyAsync(database, cancellationToken).ConfigureAwait(false))
            {
                throw new SyncConfigurationException($"This database has never synced as a parent, so its conflict log is empty: there is no conflict {id}.");
            }

            var decided = await new ConflictDecisions(database).ResolveAsync(id, take, cancellationToken).ConfigureAwait(false);
            if (console.Json)
            {
                console.WriteJson(new { command = "conflicts resolve", conflict = ConflictView.Summary(decided) });
            }
            else
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Conflict {id} ({decided.Table} {decided.Key:D}): {decided.Outcome}."));
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    /// <summary>A database that was never provisioned has no log (and listing must not provision it); an older one is upgraded.</summary>
    private static async Task<bool> IsReadyAsync(ISyncProvider database, CancellationToken cancellationToken)
    {
        if (!await database.Tracking.IsProvisionedAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await SyncProtocol.EnsureMetadataAsync(database, "given", cancellationToken).ConfigureAwait(false);
        return true;
    }
}
