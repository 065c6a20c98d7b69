namespace UnionSync.Seeding.Tests;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (unlike <see cref="Progress{T}"/>), so tests see every report in order.</summary>
internal sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
{
    public void Report(GenerationProgress value) => report(value);
}
