namespace UnionSync.Seeding;

/// <summary>How big a generated federation is, computed from the options alone, before (or without) generating it.</summary>
public sealed record FederationShape(int Districts, int Streets, int Grassroots, long Members, long Cards)
{
    /// <summary>All levels: the city federation, districts, streets and grassroots unions.</summary>
    public long Organizations => 1L + Districts + Streets + Grassroots;
}
