namespace UnionSync.Seeding.Internal;

/// <summary>An allocated identity number and what it encodes.</summary>
internal readonly record struct AllocatedIdentity(string Value, DateOnly BirthDate, bool Male, int RegionIndex);
