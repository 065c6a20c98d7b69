namespace UnionSync.Sync.Tests.Support;

/// <summary>
/// The real clock moved forward by hand: what ages tombstones and children without waiting. It starts at the real time,
/// so that times the databases take themselves stay close to it.
/// </summary>
internal sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
