namespace UnionSync.Sync.Tests.Support;

/// <summary>Where a <see cref="FaultyProvider"/> breaks: after so many commits (before or after the next one), or after so many rows read.</summary>
internal sealed class Fault
{
    private int _commits;
    private int _rows;

    /// <summary>Commits that succeed before the failure; null = commits never fail.</summary>
    public int? CommitsBeforeFailure { get; init; }

    /// <summary>The failing commit happens and then throws (a crash between the commit and what follows it).</summary>
    public bool FailAfterCommit { get; init; }

    /// <summary>Rows a snapshot streams before it fails; null = never.</summary>
    public int? RowsBeforeFailure { get; init; }

    public bool Fired { get; private set; }

    /// <summary>A write "behind the engine's back" made once, just before the first apply transaction begins.</summary>
    public Func<Task>? BeforeFirstTransaction { get; init; }

    private int _began;

    public async Task BeforeBeginAsync()
    {
        if (BeforeFirstTransaction is { } write && Interlocked.Exchange(ref _began, 1) == 0)
        {
            await write();
        }
    }

    public void BeforeCommit()
    {
        if (CommitsBeforeFailure is { } limit && !FailAfterCommit && Interlocked.Increment(ref _commits) > limit)
        {
            Fire();
        }
    }

    public void AfterCommit()
    {
        if (CommitsBeforeFailure is { } limit && FailAfterCommit && Interlocked.Increment(ref _commits) > limit)
        {
            Fire();
        }
    }

    public void OnRow()
    {
        if (RowsBeforeFailure is { } limit && Interlocked.Increment(ref _rows) > limit)
        {
            Fire();
        }
    }

    private void Fire()
    {
        if (Fired)
        {
            return;
        }

        Fired = true;
        throw new IOException("injected failure: the connection dropped");
    }
}
