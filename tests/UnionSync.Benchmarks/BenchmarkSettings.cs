namespace UnionSync.Benchmarks;

/// <param name="Generate">Run the generator scenarios (generator vs raw copy).</param>
/// <param name="Sync">Run the sync scenarios (initial load, incremental download and upload, triggers, no-op, file size).</param>
/// <param name="DatabasePrefix">Prefix of every PostgreSQL database the benchmark creates.</param>
/// <param name="InProcess">Run each timed sync in the benchmark process, not in a fresh child process of its own.</param>
internal sealed record BenchmarkSettings(
    long Members,
    long Seed,
    string? PostgresConnectionString,
    bool MeasurePostgres,
    string? WorkDirectory,
    bool Generate = true,
    bool Sync = true,
    string DatabasePrefix = PostgresServer.DefaultDatabasePrefix,
    bool InProcess = false);
