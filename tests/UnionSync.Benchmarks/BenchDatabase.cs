using UnionSync.Providers.Postgres;
using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Providers;

namespace UnionSync.Benchmarks;

/// <summary>A database a sync scenario uses: which engine, and where.</summary>
internal sealed record BenchDatabase(bool IsPostgres, string ConnectionString)
{
    public string Label => IsPostgres ? "PostgreSQL" : "SQLite";

    public static BenchDatabase Sqlite(string connectionString) => new(false, connectionString);

    public static BenchDatabase Postgres(string connectionString) => new(true, connectionString);

    /// <summary>A provider of the database; migrating or provisioning is left to the caller (or the engine).</summary>
    public ISyncProvider Open() => IsPostgres
        ? (ISyncProvider)new PostgresProviderFactory().Create(ConnectionString)
        : new SqliteProviderFactory().CreateSync(ConnectionString);
}
