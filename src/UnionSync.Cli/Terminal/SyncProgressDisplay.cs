using Spectre.Console;
using UnionSync.Sync.Engine;

namespace UnionSync.Cli.Terminal;

/// <summary>
/// Progress of a sync session on stderr: one bar per phase (initial load, upload, download) with the rows so far. The
/// totals are not known in advance, so the bars spin until their phase ends. Shown as <see cref="ProgressDisplay.ShouldShow"/> says.
/// </summary>
internal static class SyncProgressDisplay
{
    public static async Task<T> RunAsync<T>(TextWriter error, Func<IProgress<SyncProgress>, Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<SyncPhase, ProgressTask>
                {
                    [SyncPhase.InitialLoad] = context.AddTask(Describe("initial load", 0), autoStart: false),
                    [SyncPhase.Upload] = context.AddTask(Describe("up", 0), autoStart: false),
                    [SyncPhase.Download] = context.AddTask(Describe("down", 0), autoStart: false),
                };
                return await work(new PhaseProgress(tasks)).ConfigureAwait(false);
            })
            .ConfigureAwait(false);
    }

    private static string Describe(string phase, long rows) => $"{phase,-13} {rows,12:N0} rows";

    private sealed class PhaseProgress(Dictionary<SyncPhase, ProgressTask> tasks) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            foreach (var (phase, task) in tasks)
            {
                if (phase < value.Phase && task.IsStarted && !task.IsFinished)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            }

            if (!tasks.TryGetValue(value.Phase, out var current))
            {
                return;
            }

            if (!current.IsStarted)
            {
                current.StartTask();
                current.IsIndeterminate = true;
            }

            current.Description = Describe(value.Phase switch { SyncPhase.InitialLoad => "initial load", SyncPhase.Upload => "up", _ => "down" }, value.Rows);
        }
    }
}
