namespace UnionSync.Sync.Engine;

public enum VerifyDifferenceKind
{
    MissingAtChild,
    ExtraAtChild,
    DifferentValues,
}
