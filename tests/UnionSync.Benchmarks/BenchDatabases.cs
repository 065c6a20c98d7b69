using System.Diagnostics;
using Microsoft.Data.Sqlite;
using UnionSync.Seeding;
using UnionSync.Sync.Providers;

namespace UnionSync.Benchmarks;

/// <summary>The databases the scenarios write into: SQLite files in the work folder, migration, generation, file sizes.</summary>
internal static class BenchDatabases
{
    /// <summary>The connection string of a new, empty SQLite file (any earlier file of that name is deleted).</summary>
    public static string SqliteConnectionString(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".db");
        DeleteSqlite(path);
        return new SqliteConnectionStringBuilder { DataSource = path }.ConnectionString;
    }

    public static string SqlitePath(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public static void DeleteSqlite(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }

    public static async Task MigrateAsync(IDatabaseProviderFactory factory, string connectionString, CancellationToken cancellationToken)
    {
        await using var provider = factory.Create(connectionString);
        await provider.Schema.MigrateAsync(cancellationToken);
    }

    public static async Task<Measurement> GenerateAsync(IDatabaseProviderFactory factory, string connectionString, GeneratorOptions options, CancellationToken cancellationToken)
    {
        await using var provider = factory.Create(connectionString);
        await provider.Schema.MigrateAsync(cancellationToken);
        PeakMemory.Reset();
        var stopwatch = Stopwatch.StartNew();
        var result = await new FederationGenerator().GenerateAsync(provider, options, progress: null, cancellationToken);
        stopwatch.Stop();
        var database = factory.Name == "sqlite" ? "SQLite" : "PostgreSQL";
        return new Measurement(database, "unionsync generate", result.Organizations + result.Members + result.Cards, stopwatch.Elapsed, PeakMemory.PeakMebibytes(), null);
    }

    /// <summary>The SQLite file's size once its write-ahead log is checkpointed into it (what is left of the log is counted too).</summary>
    public static async Task<long> SqliteFileSizeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var path = SqlitePath(connectionString);
        var wal = new FileInfo(path + "-wal");
        return new FileInfo(path).Length + (wal.Exists ? wal.Length : 0);
    }
}
