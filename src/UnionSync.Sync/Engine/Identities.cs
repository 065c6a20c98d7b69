using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Engine;

/// <summary>Comparisons of version identities, with the initial version written either as null or as <see cref="VersionIdentity.Initial"/>.</summary>
internal static class Identities
{
    public static VersionIdentity? Normalize(VersionIdentity? identity) => identity is { IsInitial: true } ? null : identity;

    public static bool Same(VersionIdentity? a, VersionIdentity? b) => Normalize(a) == Normalize(b);

    /// <summary>
    /// Orders two versions by hybrid logical clock: the origin version (an HLC value: wall milliseconds shifted left 16
    /// bits plus a logical count, and always above every version its node had received), then the origin node, so that
    /// every node that compares the same two versions picks the same one. The initial version is older than any.
    /// </summary>
    public static int CompareByClock(VersionIdentity? a, VersionIdentity? b)
    {
        var (x, y) = (Normalize(a) ?? VersionIdentity.Initial, Normalize(b) ?? VersionIdentity.Initial);
        var byVersion = x.Version.CompareTo(y.Version);
        return byVersion != 0 ? byVersion : x.Node.CompareTo(y.Node);
    }

    /// <summary>The change as an applier takes it: an initial version travels as <see cref="VersionIdentity.Initial"/>, so the receiver tracks it.</summary>
    public static RowChange ForApply(RowChange change) => change.Origin is null ? change with { Origin = VersionIdentity.Initial } : change;
}
