namespace UnionSync.Seeding;

/// <summary>Rows written per table by one generation, and how long it took.</summary>
public sealed record GenerationResult(long Organizations, long Members, long Cards, TimeSpan Elapsed)
{
    public long TotalRows => Organizations + Members + Cards;

    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? TotalRows / Elapsed.TotalSeconds : 0;
}
