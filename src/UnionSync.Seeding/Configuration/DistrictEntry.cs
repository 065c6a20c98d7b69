namespace UnionSync.Seeding.Configuration;

/// <summary>A district of the city: its name (东城区) and its 6-digit administrative division code.</summary>
public sealed record DistrictEntry(string Name, string Code);
