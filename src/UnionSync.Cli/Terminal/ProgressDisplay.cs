using Spectre.Console;

namespace UnionSync.Cli.Terminal;

/// <summary>
/// Progress bars on stderr, one per table, with rows per second. Shown only to a person: not with --json and not
/// when stderr is redirected, so scripts and logs get clean output.
/// </summary>
internal static class ProgressDisplay
{
    public static bool ShouldShow(bool json) => !json && !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(TextWriter error, IReadOnlyList<(string Name, long Expected)> tables, Func<IProgress<Seeding.GenerationProgress>, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = tables.ToDictionary(
                    t => t.Name,
                    t => context.AddTask(Describe(t.Name, null), autoStart: false, maxValue: Math.Max(1, t.Expected)),
                    StringComparer.Ordinal);
                return await work(new TableTaskProgress(tasks)).ConfigureAwait(false);
            })
            .ConfigureAwait(false);
    }

    internal static string Describe(string table, double? rowsPerSecond) =>
        rowsPerSecond is { } speed ? $"{table,-14} {speed,12:N0} rows/s" : $"{table,-14} {string.Empty,12}       ";
}
