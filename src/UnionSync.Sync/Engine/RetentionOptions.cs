namespace UnionSync.Sync.Engine;

/// <summary>How a purge (<see cref="RetentionPurger"/>) decides what is old enough to go.</summary>
public sealed record RetentionOptions
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// Tombstones, scope moves and batch records younger than this stay; so does a child's claim on them while it last
    /// synced within it. A child away longer must reinitialise.
    /// </summary>
    public TimeSpan Window { get; init; } = DefaultWindow;

    /// <summary>The clock that ages things (the marks recorded at each session use the sessions' clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
