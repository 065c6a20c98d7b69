using System.CommandLine;

namespace UnionSync.Cli.Commands;

/// <summary>Options that several commands take alike; each command makes its own instances (an option belongs to one command).</summary>
internal static class CommandOptions
{
    public static Option<string> Database(string description) => new("--db")
    {
        Description = description,
        HelpName = "PROVIDER:CONNECTION-STRING",
        Required = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout." };
}
