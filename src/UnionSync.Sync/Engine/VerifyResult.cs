namespace UnionSync.Sync.Engine;

/// <summary>
/// The comparison of a child with its scope of the parent. <see cref="Differences"/> lists at most
/// <see cref="MaxListed"/> rows; <see cref="DifferenceCount"/> counts them all.
/// </summary>
public sealed record VerifyResult(Guid Scope, long RowsCompared, long DifferenceCount, IReadOnlyList<VerifyDifference> Differences)
{
    public const int MaxListed = 1_000;

    public bool IsEqual => DifferenceCount == 0;
}
