namespace UnionSync.Seeding.Internal;

/// <summary>The content of <c>seeds/demo-federation.json</c>.</summary>
internal sealed record DemoFederationFile(long Members, long Seed, DateOnly ReferenceDate);
