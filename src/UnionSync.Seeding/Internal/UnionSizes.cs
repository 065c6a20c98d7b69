namespace UnionSync.Seeding.Internal;

/// <summary>
/// Splits the members over the grassroots unions with a Pareto tail: the expected order statistics of a Pareto
/// law, rounded so that they sum to the member count exactly, then dealt to the unions by a keyed permutation.
/// Most unions get a few dozen members, a few get many thousands.
/// </summary>
internal static class UnionSizes
{
    public static long[] Compute(int unions, long members, double alpha, ulong seed)
    {
        var raw = new double[unions];
        var total = 0.0;
        for (var rank = 0; rank < unions; rank++)
        {
            raw[rank] = Math.Pow((rank + 0.5) / unions, -1.0 / alpha);
            total += raw[rank];
        }

        var byRank = new long[unions];
        var cumulative = 0.0;
        var previousBoundary = 0L;
        for (var rank = 0; rank < unions; rank++)
        {
            cumulative += raw[rank];
            var boundary = rank == unions - 1 ? members : Math.Min(members, (long)Math.Round(members * (cumulative / total), MidpointRounding.ToEven));
            byRank[rank] = boundary - previousBoundary;
            previousBoundary = boundary;
        }

        var permutation = new FeistelPermutation((ulong)unions, StableHash.Combine(seed, (ulong)StreamTag.UnionSizes));
        var sizes = new long[unions];
        for (var union = 0; union < unions; union++)
        {
            sizes[union] = byRank[permutation.Permute((ulong)union)];
        }

        return sizes;
    }
}
