namespace UnionSync.Seeding.Configuration;

/// <summary>A value drawn with probability proportional to <see cref="Weight"/>.</summary>
public sealed record WeightedValue(string Value, double Weight);
