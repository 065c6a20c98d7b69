using System.CommandLine;
using System.Globalization;
using UnionSync.Sync.Engine;
using UnionSync.Sync.Providers;

namespace UnionSync.Cli.Commands;

/// <summary><c>unionsync verify --parent DB --child DB [--json]</c> (DESIGN §6): exit 0 when equal, 1 with the differences listed.</summary>
internal sealed class VerifyCommand(ProviderRegistry providers, TextWriter output, TextWriter error)
{
    private readonly Option<string> _parent = new("--parent")
    {
        Description = "The parent database as PROVIDER:CONNECTION-STRING.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<string> _child = new("--child")
    {
        Description = "The child database as PROVIDER:CONNECTION-STRING; its scope is the one it synced with.",
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object on stdout: whether equal, rows compared, and the differences (ID numbers masked).",
    };

    public Command Create()
    {
        var command = new Command(
            "verify",
            "Compare the child with its scope of the parent, row for row. Exit 0 if equal, 1 with the differences listed "
            + "(missing at the child, extra at the child, or the names of the columns that differ; values are never printed).")
        {
            _parent,
            _child,
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
            await using var parent = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_parent)!, "--parent").ConfigureAwait(false);
            await using var child = await SyncDatabases.OpenAsync(providers, parseResult.GetValue(_child)!, "--child").ConfigureAwait(false);
            var result = await new SyncEngine().VerifyAsync(parent, child, cancellationToken).ConfigureAwait(false);
            Report(console, result);
            return result.IsEqual ? ExitCodes.Success : ExitCodes.Problem;
        }
        catch (Exception ex)
        {
            return console.Fail(ErrorMapping.Map(ex));
        }
    }

    private static void Report(CommandOutput console, VerifyResult result)
    {
        if (console.Json)
        {
            console.WriteJson(new
            {
                command = "verify",
                scope = result.Scope,
                equal = result.IsEqual,
                rowsCompared = result.RowsCompared,
                differences = result.DifferenceCount,
                listed = result.Differences.Select(d => new { table = d.Table, key = d.Key, kind = Kind(d.Kind), columns = d.Columns, member = d.Label }),
            });
            return;
        }

        var text = console.Out;
        if (result.IsEqual)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The child equals its scope {result.Scope:D} of the parent: {result.RowsCompared:N0} rows compared."));
            return;
        }

        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The child differs from its scope {result.Scope:D} of the parent in {result.DifferenceCount:N0} of {result.RowsCompared:N0} rows:"));
        foreach (var difference in result.Differences)
        {
            var columns = difference.Columns.Count == 0 ? string.Empty : " columns " + string.Join(", ", difference.Columns);
            var member = difference.Label is null ? string.Empty : $" (member {difference.Label})";
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {difference.Table,-14} {difference.Key:D} {Kind(difference.Kind)}{columns}{member}"));
        }

        if (result.DifferenceCount > result.Differences.Count)
        {
            text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ... and {result.DifferenceCount - result.Differences.Count:N0} more."));
        }
    }

    private static string Kind(VerifyDifferenceKind kind) => kind switch
    {
        VerifyDifferenceKind.MissingAtChild => "missing at child",
        VerifyDifferenceKind.ExtraAtChild => "extra at child",
        _ => "different",
    };
}
