using UnionSync.Sync.Changes;

namespace UnionSync.Sync.Engine;

/// <summary>Comparisons of version identities, with the initial version written either as null or as <see cref="VersionIdentity.Initial"/>.</summary>
internal static class Identities
{
    public static VersionIdentity? Normalize(VersionIdentity? identity) => identity is { IsInitial: true } ? null : identity;

    public static bool Same(VersionIdentity? a, VersionIdentity? b) => Normalize(a) == Normalize(b);

    /// <summary>The change as an applier takes it: an initial version travels as <see cref="VersionIdentity.Initial"/>, so the receiver tracks it.</summary>
    public static RowChange ForApply(RowChange change) => change.Origin is null ? change with { Origin = VersionIdentity.Initial } : change;
}
