using System.CommandLine;
using System.Globalization;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli.Commands;

/// <summary>
/// <c>unionsync purge --db DB [--older-than 30d] [--json]</c>: the retention purge at one node (docs/sync-engine.md §9),
/// a thin adapter over <see cref="RetentionPurger"/>, which a scheduler calls the same way.
/// </summary>
internal sealed class PurgeCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private readonly Option<string> _database = new("--db")
    {
        Description = "The node's database as PROVIDER:CONNECTION-STRING (e.g. \"postgres:Host=127.0.0.1;Username=u;Database=city\"); it must be provisioned for sync.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<string> _olderThan = new("--older-than")
    {
        Description = "The retention window: 30d (days), 12h (hours), 90m, 45s, or a TimeSpan such as 1.12:00:00. "
            + "Deletes younger than this stay, and so does anything a child that synced within it has not received.",
        HelpName = "AGE",
        DefaultValueFactory = _ => "30d",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object on stdout: what was purged and the purge floor before and after.",
    };

    public Command Create()
    {
        var command = new Command(
            "purge",
            "Delete tombstones and scope moves older than the window that every child active within it has received (and that this node has sent its own parent), "
            + "and old batch and session records. Live rows' tracking is never touched. A child away longer than the window must then reinitialise "
            + "(unionsync sync --reinitialise). Exit 0 on success, 2 on bad usage (a bad --older-than, a database not provisioned for sync).")
        {
            _database,
            _olderThan,
            _json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    /// <summary>A number with a unit (d, h, m, s) or a <see cref="TimeSpan"/> in invariant format; positive.</summary>
    /// <exception cref="SyncConfigurationException">the text is neither, or not positive.</exception>
    internal static TimeSpan ParseAge(string text)
    {
        var trimmed = text.Trim();
        TimeSpan? age = null;
        if (trimmed.Length > 1 && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            age = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'd' => TimeSpan.FromDays(number),
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                's' => TimeSpan.FromSeconds(number),
                _ => null,
            };
        }

        if (age is null && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span))
        {
            age = span;
        }

        if (age is not { } value || value <= TimeSpan.Zero)
        {
            throw new SyncConfigurationException(
                $"--older-than must be a positive age such as 30d, 12h, 90m, 45s or 1.12:00:00 (a TimeSpan); it is '{text}'.");
        }

        return value;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(_json);
        var console = new CommandOutput(output, error, json);
        try
        {
            var window = ParseAge(parseResult.GetValue(_olderThan)!);
            await using var node = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_database)!, "--db").ConfigureAwait(false);
            var summary = await new RetentionPurger().PurgeAsync(node, new RetentionOptions { Window = window }, cancellationToken).ConfigureAwait(false);
            Report(console, node, window, summary);
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private static void Report(CommandOutput console, ISyncProvider node, TimeSpan window, PurgeSummary summary)
    {
        if (console.Json)
        {
            console.WriteJson(new
            {
                command = "purge",
                database = node.Name,
                olderThanSeconds = window.TotalSeconds,
                cutoff = summary.Cutoff,
                tombstones = summary.Tombstones,
                moves = summary.Moves,
                batches = summary.Batches,
                sessions = summary.Sessions,
                previousFloor = summary.PreviousFloor,
                floor = summary.Floor,
                activeChildren = summary.ActiveChildren,
                childrenAway = summary.ChildrenAway,
            });
            return;
        }

        var text = console.Out;
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Purged {node.Describe()} of what is older than {window} (before {summary.Cutoff.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC):"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"tombstones",-16} {summary.Tombstones,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"scope moves",-16} {summary.Moves,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"batch records",-16} {summary.Batches,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"sessions",-16} {summary.Sessions,12:N0}"));
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"purge floor",-16} {summary.PreviousFloor} -> {summary.Floor}"));
        text.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {"children",-16} {summary.ActiveChildren} active, {summary.ChildrenAway} away longer than the window{(summary.ChildrenAway > 0 && summary.Floor > summary.PreviousFloor ? " (those behind the floor must reinitialise)" : string.Empty)}"));
    }
}
