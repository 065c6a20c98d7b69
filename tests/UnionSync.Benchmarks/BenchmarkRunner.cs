using System.Globalization;
using Microsoft.Data.Sqlite;
using UnionSync.Providers.Postgres;
using UnionSync.Providers.Sqlite;
using UnionSync.Seeding;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>
/// Runs the scenarios: the generator writing a federation into SQLite and PostgreSQL next to the raw bulk copy of the
/// same rows into the same schema; then the sync scenarios (<see cref="SyncScenarios"/>) on a generated city, next to
/// their raw yardsticks; all in the same run.
/// </summary>
internal static class BenchmarkRunner
{
    private const string Targets =
        "Targets (issue 4): initial load ≤ 1.5× raw and ≤ 23 s at 1 M members (PG → SQLite); incremental download of 10 k ≤ 2× raw UPDATE; " +
        "upload of 10 k ≤ 3× raw UPDATE; triggers ≤ 1.5× a plain UPDATE; peak RSS < 300 MB; child file ≤ 1.3× its data.";

    private const string ChildProcessNote =
        "Each timed sync runs in a fresh child process of this program (sync-once, tiered compilation off), warmed up first on a throw-away " +
        "1,000-member federation of the same database kinds (initial load, edits both sides, conflicts, no-op; deleted before the timed call); " +
        "the time is the SyncAsync call alone. Peak RSS is that child process's own (VmHWM, reset after its warm-up and a full collection): the timed sync " +
        "on top of the runtime, compiled code and pools it started from (RSS at the start in brackets). Trigger overheads and yardsticks run in this process.";

    private const string InProcessNote =
        "Every timed sync runs in this benchmark process (--in-process); peak RSS is this process's, reset before each timed part and shown with " +
        "the RSS the part started from, which climbs with what earlier scenarios left.";

    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new GeneratorOptions { Members = settings.Members, Seed = settings.Seed };
        options.Validate();
        var shape = FederationGenerator.Plan(options);
        var ownsWorkDirectory = settings.WorkDirectory is null;
        var workDirectory = settings.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "unionsync-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(workDirectory);
        await Console.Error.WriteLineAsync($"Generating {shape} into {workDirectory} ...");

        await using var postgres = settings.MeasurePostgres ? await PostgresServer.OpenAsync(settings.PostgresConnectionString, settings.DatabasePrefix, cancellationToken) : null;
        try
        {
            await WarmUpAsync(settings, workDirectory, postgres, cancellationToken);
            List<Measurement>? generator = null;
            string sqliteCity;
            string? postgresCity = null;
            if (settings.Generate)
            {
                (generator, sqliteCity, postgresCity) = await GeneratorScenariosAsync(workDirectory, postgres, options, cancellationToken);
            }
            else
            {
                (sqliteCity, postgresCity) = await GenerateCityAsync(workDirectory, postgres, "city", options, cancellationToken);
            }

            SyncReport? sync = null;
            if (settings.Sync)
            {
                ISyncRunner runner = settings.InProcess ? new InProcessSyncRunner() : new ChildProcessSyncRunner(workDirectory, settings.DatabasePrefix);
                sync = await SyncScenarios.RunAsync(new SyncSetup(workDirectory, postgres, string.Empty, sqliteCity, postgresCity, runner), cancellationToken);
            }

            await WriteReportAsync(output, settings, shape, generator, sync, postgres?.Version, cancellationToken);
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

    /// <summary>The generator into SQLite and PostgreSQL, and the raw copies of the same rows; the generated databases serve the sync scenarios after.</summary>
    private static async Task<(List<Measurement> Measurements, string SqliteCity, string? PostgresCity)> GeneratorScenariosAsync(
        string workDirectory, PostgresServer? postgres, GeneratorOptions options, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var sqliteGeneratedConnection = BenchDatabases.SqliteConnectionString(workDirectory, "generated");
        var sqliteGenerated = await BenchDatabases.GenerateAsync(new SqliteProviderFactory(), sqliteGeneratedConnection, options, cancellationToken);
        Measurement? postgresGenerated = null;
        string? postgresGeneratedConnection = null;
        if (postgres is not null)
        {
            postgresGeneratedConnection = await postgres.CreateDatabaseAsync("generated", cancellationToken);
            postgresGenerated = await BenchDatabases.GenerateAsync(new PostgresProviderFactory(), postgresGeneratedConnection, options, cancellationToken);
        }

        await Console.Error.WriteLineAsync("Materialising the same rows for the raw copies ...");
        var rows = SyncTables.All.Select(t => (t, FederationGenerator.EnumerateRows(t, options).ToList())).ToList();
        var totalRows = rows.Sum(r => (long)r.Item2.Count);

        var sqliteRawConnection = BenchDatabases.SqliteConnectionString(workDirectory, "raw");
        await BenchDatabases.MigrateAsync(new SqliteProviderFactory(), sqliteRawConnection, cancellationToken);
        PeakMemory.Reset();
        var sqliteRaw = await RawSqliteCopy.CopyAsync(sqliteRawConnection, rows, cancellationToken);
        measurements.Add(new Measurement("SQLite", "raw: prepared INSERT, one transaction", totalRows, sqliteRaw, PeakMemory.PeakMebibytes(), null, "rows held in memory"));
        measurements.Add(sqliteGenerated with { Raw = sqliteRaw });

        if (postgres is not null)
        {
            var postgresRawConnection = await postgres.CreateDatabaseAsync("raw", cancellationToken);
            await BenchDatabases.MigrateAsync(new PostgresProviderFactory(), postgresRawConnection, cancellationToken);
            PeakMemory.Reset();
            var postgresRaw = await RawPostgresCopy.CopyAsync(postgresRawConnection, rows, cancellationToken);
            measurements.Add(new Measurement("PostgreSQL", "raw: binary COPY", totalRows, postgresRaw, PeakMemory.PeakMebibytes(), null, "rows held in memory"));
            measurements.Add(postgresGenerated! with { Raw = postgresRaw });
        }

        rows.Clear();
        BenchDatabases.DeleteSqlite(BenchDatabases.SqlitePath(sqliteRawConnection));
        return (measurements, sqliteGeneratedConnection, postgresGeneratedConnection);
    }

    /// <summary>A city for the sync scenarios when the generator scenarios did not make one: generated into SQLite and PostgreSQL, untimed.</summary>
    private static async Task<(string Sqlite, string? Postgres)> GenerateCityAsync(
        string workDirectory, PostgresServer? postgres, string name, GeneratorOptions options, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"Generating the city for the sync scenarios ({name}) ...");
        var sqlite = BenchDatabases.SqliteConnectionString(workDirectory, name);
        await BenchDatabases.GenerateAsync(new SqliteProviderFactory(), sqlite, options, cancellationToken);
        string? pg = null;
        if (postgres is not null)
        {
            pg = await postgres.CreateDatabaseAsync(name, cancellationToken);
            await BenchDatabases.GenerateAsync(new PostgresProviderFactory(), pg, options, cancellationToken);
        }

        return (sqlite, pg);
    }

    /// <summary>Runs every path once at a small size so that the measured runs do not pay for JIT compilation.</summary>
    private static async Task WarmUpAsync(BenchmarkSettings settings, string workDirectory, PostgresServer? postgres, CancellationToken cancellationToken)
    {
        var small = new GeneratorOptions { Members = 1_000, Seed = 99 };
        if (settings.Generate)
        {
            var rows = SyncTables.All.Select(t => (t, FederationGenerator.EnumerateRows(t, small).ToList())).ToList();
            await BenchDatabases.GenerateAsync(new SqliteProviderFactory(), BenchDatabases.SqliteConnectionString(workDirectory, "warmup-generated"), small, cancellationToken);
            var raw = BenchDatabases.SqliteConnectionString(workDirectory, "warmup-raw");
            await BenchDatabases.MigrateAsync(new SqliteProviderFactory(), raw, cancellationToken);
            await RawSqliteCopy.CopyAsync(raw, rows, cancellationToken);
            if (postgres is not null)
            {
                await BenchDatabases.GenerateAsync(new PostgresProviderFactory(), await postgres.CreateDatabaseAsync("warmup_generated", cancellationToken), small, cancellationToken);
                raw = await postgres.CreateDatabaseAsync("warmup_raw", cancellationToken);
                await BenchDatabases.MigrateAsync(new PostgresProviderFactory(), raw, cancellationToken);
                await RawPostgresCopy.CopyAsync(raw, rows, cancellationToken);
            }
        }

        if (settings.Sync)
        {
            // In this process whatever the mode: it warms up the yardsticks and statements, which run here (a child process warms itself up).
            await Console.Error.WriteLineAsync("Warming up the sync scenarios at 1,000 members (not reported) ...");
            var (sqlite, pg) = await GenerateCityAsync(workDirectory, postgres, "warmup_city", small, cancellationToken);
            await SyncScenarios.RunAsync(new SyncSetup(workDirectory, postgres, "warmup_", sqlite, pg, new InProcessSyncRunner()), cancellationToken);
        }
    }

    private static async Task WriteReportAsync(
        TextWriter output,
        BenchmarkSettings settings,
        FederationShape shape,
        IReadOnlyList<Measurement>? generator,
        SyncReport? sync,
        string? postgresVersion,
        CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Read();
        var sqliteVersion = await SqliteVersionAsync(cancellationToken);
        var c = CultureInfo.InvariantCulture;
        var machineLine = string.Create(c,
            $"Machine: {machine.Cores} cores ({machine.CpuModel ?? "unknown CPU"}), {machine.MemoryGiB:0.0} GiB, {machine.Os}, {machine.Dotnet}; " +
            $"SQLite {sqliteVersion}; PostgreSQL {postgresVersion ?? "not measured"}.");
        if (generator is not null)
        {
            await output.WriteLineAsync(string.Create(c, $"## Generator throughput, {settings.Members:N0} members (seed {settings.Seed})"));
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(c, $"Federation: {shape}."));
            await output.WriteLineAsync(machineLine);
            await output.WriteLineAsync("Ratio = time / time of the raw copy of the same rows into the same schema, measured in this run (lower is better, 1.00 = raw speed).");
            await output.WriteLineAsync();
            await ResultTable.WriteAsync(output, generator);
        }

        if (sync is not null)
        {
            if (generator is not null)
            {
                await output.WriteLineAsync();
            }

            await output.WriteLineAsync(string.Create(c, $"## Sync, {settings.Members:N0} members (seed {settings.Seed})"));
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(c, $"Federation: {shape}."));
            if (generator is null)
            {
                await output.WriteLineAsync(machineLine);
            }

            await output.WriteLineAsync(string.Create(c,
                $"Scopes: whole federation = the city {sync.City:D} ({sync.CityRows:N0} rows); district = the largest level-2 organisation {sync.District:D} " +
                $"({sync.DistrictRows:N0} rows with its ancestors). Edits: {sync.EditedMembers:N0} members, the first by id, skill_level changed by one plain UPDATE."));
            await output.WriteLineAsync(
                "Time = one sync session (SyncEngine.SyncAsync, batch size " + Sync.Engine.SyncOptions.DefaultBatchSize.ToString(c) + "). " +
                (settings.InProcess ? InProcessNote : ChildProcessNote) +
                " Ratio = time / time of the yardstick, the same rows written raw in this run (rows read beforehand, untimed; lower is better).");
            await output.WriteLineAsync();
            await SyncResultTable.WriteAsync(output, sync.Measurements, settings.InProcess ? "peak RSS of this process (MiB) (at start)" : "peak RSS per child process (MiB) (at start)");
            await output.WriteLineAsync();
            await output.WriteLineAsync(Targets);
        }
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
