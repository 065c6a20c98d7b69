using System.CommandLine;
using System.CommandLine.Help;
using UnionSync.Cli.Commands;

namespace UnionSync.Cli;

/// <summary>
/// The <c>unionsync</c> command tree. Parse errors are usage errors: they exit 2 with the parser's message, not
/// System.CommandLine's default 1. Each command catches its own failures and maps them with <see cref="ErrorMapping"/>.
/// </summary>
internal static class UnionSyncCommandLine
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var providers = DatabaseProviders.CreateRegistry();
        var root = new RootCommand("unionsync: operator tasks of the UnionSync federation roster. Exit codes: 0 success, 1 ran and found a problem, 2 bad usage or configuration.");
        root.Subcommands.Add(new GenerateCommand(providers, output, error).Create());
        root.Subcommands.Add(new SyncCommand(providers, output, error).Create());
        root.Subcommands.Add(new VerifyCommand(providers, output, error).Create());
        root.Subcommands.Add(new PurgeCommand(providers, output, error).Create());
        root.Subcommands.Add(new PolicyCommand(providers, output, error).Create());
        root.Subcommands.Add(new ConflictsCommand(providers, output, error).Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            var json = args.Contains("--json", StringComparer.Ordinal);
            var messages = string.Join(" ", parseResult.Errors.Select(e => e.Message));
            var command = parseResult.CommandResult.Command;
            var hint = command == root ? "unionsync --help" : $"unionsync {command.Name} --help";
            return new CommandOutput(output, error, json).Fail(new CommandFailure(ExitCodes.Usage, $"{messages} See '{hint}'."));
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }
}
