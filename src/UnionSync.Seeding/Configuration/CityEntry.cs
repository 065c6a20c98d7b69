namespace UnionSync.Seeding.Configuration;

/// <summary>The city federation (level 1): its union's name, the city's short name used in company names, its division code.</summary>
public sealed record CityEntry(string Name, string ShortName, string Code);
