namespace UnionSync.Benchmarks;

internal sealed record BenchmarkSettings(long Members, long Seed, string? PostgresConnectionString, bool MeasurePostgres, string? WorkDirectory);
