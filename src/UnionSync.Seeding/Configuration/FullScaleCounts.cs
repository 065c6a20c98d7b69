namespace UnionSync.Seeding.Configuration;

/// <summary>The real federation's sizes (DESIGN §1); a smaller run scales organisations and cards from its member count.</summary>
public sealed record FullScaleCounts(long Members, long Organizations, int Districts, int Streets, long Cards);
