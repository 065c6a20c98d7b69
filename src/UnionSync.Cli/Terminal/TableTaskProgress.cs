using Spectre.Console;
using UnionSync.Seeding;

namespace UnionSync.Cli.Terminal;

/// <summary>Moves the bar of the table a <see cref="GenerationProgress"/> report names.</summary>
internal sealed class TableTaskProgress(IReadOnlyDictionary<string, ProgressTask> tasks) : IProgress<GenerationProgress>
{
    public void Report(GenerationProgress value)
    {
        if (!tasks.TryGetValue(value.Table, out var task))
        {
            return;
        }

        if (!task.IsStarted)
        {
            task.StartTask();
        }

        task.Value = value.RowsExpected == 0 && value.RowsWritten == 0 ? 0 : value.RowsWritten;
        task.Description = ProgressDisplay.Describe(value.Table, task.Speed);
        if (value.RowsWritten >= value.RowsExpected)
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
