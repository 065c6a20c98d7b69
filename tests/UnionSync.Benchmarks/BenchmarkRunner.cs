using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Providers.Postgres;
using UnionSync.Providers.Sqlite;
using UnionSync.Seeding;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// Runs the scenarios: the generator writing a federation into SQLite and PostgreSQL, and the raw bulk copy of the
/// same rows into the same schema, in the same run. Later issues add sync scenarios here.
/// </summary>
internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new GeneratorOptions { Members = settings.Members, Seed = settings.Seed };
        options.Validate();
        var shape = FederationGenerator.Plan(options);
        var ownsWorkDirectory = settings.WorkDirectory is null;
        var workDirectory = settings.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "unionsync-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(workDirectory);
        await Console.Error.WriteLineAsync($"Generating {shape} into {workDirectory} ...");

        await using var postgres = settings.MeasurePostgres ? await PostgresServer.OpenAsync(settings.PostgresConnectionString, cancellationToken) : null;
        try
        {
            await WarmUpAsync(workDirectory, postgres, cancellationToken);
            var measurements = new List<Measurement>();
            var sqliteGenerated = await GenerateAsync(new SqliteProviderFactory(), SqliteConnectionString(workDirectory, "generated"), options, cancellationToken);
            Measurement? postgresGenerated = null;
            if (postgres is not null)
            {
                postgresGenerated = await GenerateAsync(new PostgresProviderFactory(), await postgres.CreateDatabaseAsync("generated", cancellationToken), options, cancellationToken);
            }

            await Console.Error.WriteLineAsync("Materialising the same rows for the raw copies ...");
            var rows = SyncTables.All.Select(t => (t, FederationGenerator.EnumerateRows(t, options).ToList())).ToList();
            var totalRows = rows.Sum(r => (long)r.Item2.Count);

            var sqliteRawConnection = SqliteConnectionString(workDirectory, "raw");
            await MigrateAsync(new SqliteProviderFactory(), sqliteRawConnection, cancellationToken);
            PeakMemory.Reset();
            var sqliteRaw = await RawSqliteCopy.CopyAsync(sqliteRawConnection, rows, cancellationToken);
            measurements.Add(new Measurement("SQLite", "raw: prepared INSERT, one transaction", totalRows, sqliteRaw, PeakMemory.PeakMebibytes(), null, "rows held in memory"));
            measurements.Add(sqliteGenerated with { Raw = sqliteRaw });

            if (postgres is not null)
            {
                var postgresRawConnection = await postgres.CreateDatabaseAsync("raw", cancellationToken);
                await MigrateAsync(new PostgresProviderFactory(), postgresRawConnection, cancellationToken);
                PeakMemory.Reset();
                var postgresRaw = await RawPostgresCopy.CopyAsync(postgresRawConnection, rows, cancellationToken);
                measurements.Add(new Measurement("PostgreSQL", "raw: binary COPY", totalRows, postgresRaw, PeakMemory.PeakMebibytes(), null, "rows held in memory"));
                measurements.Add(postgresGenerated! with { Raw = postgresRaw });
            }

            rows.Clear();
            await WriteReportAsync(output, settings, shape, measurements, postgres?.Version, cancellationToken);
            return 0;
        }
        finally
        {
            if (ownsWorkDirectory)
            {
                Directory.Delete(workDirectory, recursive: true);
            }
        }
    }

    /// <summary>Runs every path once at a small size so that the measured runs do not pay for JIT compilation.</summary>
    private static async Task WarmUpAsync(string workDirectory, PostgresServer? postgres, CancellationToken cancellationToken)
    {
        var small = new GeneratorOptions { Members = 1_000, Seed = 99 };
        var rows = SyncTables.All.Select(t => (t, FederationGenerator.EnumerateRows(t, small).ToList())).ToList();
        await GenerateAsync(new SqliteProviderFactory(), SqliteConnectionString(workDirectory, "warmup-generated"), small, cancellationToken);
        var raw = SqliteConnectionString(workDirectory, "warmup-raw");
        await MigrateAsync(new SqliteProviderFactory(), raw, cancellationToken);
        await RawSqliteCopy.CopyAsync(raw, rows, cancellationToken);
        if (postgres is not null)
        {
            await GenerateAsync(new PostgresProviderFactory(), await postgres.CreateDatabaseAsync("warmup_generated", cancellationToken), small, cancellationToken);
            raw = await postgres.CreateDatabaseAsync("warmup_raw", cancellationToken);
            await MigrateAsync(new PostgresProviderFactory(), raw, cancellationToken);
            await RawPostgresCopy.CopyAsync(raw, rows, cancellationToken);
        }
    }

    private static string SqliteConnectionString(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".db");
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        return new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
    }

    private static async Task MigrateAsync(IDatabaseProviderFactory factory, string connectionString, CancellationToken cancellationToken)
    {
        await using var provider = factory.Create(connectionString);
        await provider.Schema.MigrateAsync(cancellationToken);
    }

    private static async Task<Measurement> GenerateAsync(IDatabaseProviderFactory factory, string connectionString, GeneratorOptions options, CancellationToken cancellationToken)
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

    private static async Task WriteReportAsync(
        TextWriter output,
        BenchmarkSettings settings,
        FederationShape shape,
        IReadOnlyList<Measurement> measurements,
        string? postgresVersion,
        CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Read();
        var sqliteVersion = await SqliteVersionAsync(cancellationToken);
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c, $"## Generator throughput, {settings.Members:N0} members (seed {settings.Seed})"));
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(c, $"Federation: {shape}."));
        await output.WriteLineAsync(string.Create(c,
            $"Machine: {machine.Cores} cores ({machine.CpuModel ?? "unknown CPU"}), {machine.MemoryGiB:0.0} GiB, {machine.Os}, {machine.Dotnet}; " +
            $"SQLite {sqliteVersion}; PostgreSQL {postgresVersion ?? "not measured"}."));
        await output.WriteLineAsync("Ratio = time / time of the raw copy of the same rows into the same schema, measured in this run (lower is better, 1.00 = raw speed).");
        await output.WriteLineAsync();
        await ResultTable.WriteAsync(output, measurements);
    }

    private static async Task<string> SqliteVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
