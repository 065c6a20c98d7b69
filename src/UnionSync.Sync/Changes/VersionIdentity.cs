namespace UnionSync.Sync.Changes;

/// <summary>
/// One version of one row, named across the federation: the node that wrote it and that node's version at the write, a
/// hybrid logical clock value (docs/sync-engine.md §1, §8), wall milliseconds shifted left 16 bits plus a
/// logical count, always above every version the node had received, so that no wall clock alone decides which is newer.
/// </summary>
public readonly record struct VersionIdentity(Guid Node, long Version)
{
    /// <summary>
    /// The initial version (a row never changed since its node was provisioned) as a tracking row carries it when the
    /// engine applies such a row at another node (moved-in rows, re-sends): origin node <see cref="Guid.Empty"/>, version 0.
    /// The engine treats it as equal to a null identity; a provider stores it like any other origin, so that the row is
    /// forwarded to the receiver's own children.
    /// </summary>
    public static VersionIdentity Initial { get; } = new(Guid.Empty, 0);

    public bool IsInitial => Node == Guid.Empty;

    public override string ToString() => $"{Node:D}@{Version}";

    /// <summary>
    /// The version as people read it: the wall-clock part of the hybrid logical clock as UTC time and the logical count
    /// (<c>HLC 2026-11-24T07:37:32.123Z+5</c>); a version from before versions were clocks as its number.
    /// </summary>
    public string ToClockString()
    {
        if (IsInitial)
        {
            return "initial version";
        }

        var milliseconds = Version >> 16;
        if (milliseconds is < 946_684_800_000 or > 32_503_680_000_000)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"version {Version}");
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HLC {time:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}+{Version & 0xFFFF}");
    }
}
