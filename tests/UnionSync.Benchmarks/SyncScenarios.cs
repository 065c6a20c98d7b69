using System.Globalization;
using UnionSync.Providers.Sqlite;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Schema;

namespace UnionSync.Benchmarks;

/// <summary>Where the sync scenarios run: the generated city in SQLite (and in PostgreSQL), not yet provisioned.</summary>
/// <param name="Prefix">Prefix of every database and file the scenarios make (a warm-up run uses its own).</param>
/// <param name="Runner">Runs each timed sync: in this process, or in a child process of its own.</param>
internal sealed record SyncSetup(string WorkDirectory, PostgresServer? Postgres, string Prefix, string SqliteCity, string? PostgresCity, ISyncRunner Runner);

/// <summary>What the sync scenarios measured, and on which scopes.</summary>
internal sealed record SyncReport(IReadOnlyList<SyncMeasurement> Measurements, Guid City, long CityRows, Guid District, long DistrictRows, int EditedMembers);

/// <summary>
/// The sync scenarios (issue 4, item 9), each next to its raw yardstick measured in the same run: the initial load of
/// the whole federation and of a district, PostgreSQL → SQLite and SQLite → SQLite, against a raw copy of the same
/// rows; the no-op sync; the child's file size against the raw copy's; an incremental download of 10,000 changed
/// members and an upload of 10,000 child edits against a raw UPDATE of the same rows; the tracking triggers' cost on a
/// plain UPDATE. Each timed sync runs through <see cref="SyncSetup.Runner"/> (peak memory reset before it); the
/// statements and yardsticks run in this process; the rows a yardstick writes are read beforehand, untimed.
/// </summary>
internal sealed class SyncScenarios
{
    private const int EditCount = 10_000;

    /// <summary>Rounds of the trigger-overhead comparison (odd, for a median).</summary>
    private const int TriggerRounds = 11;

    private const string InitialLoadTarget = "≤ 1.5× raw";
    /// <summary>The federation's root organisation (the city); the same SQL on SQLite and PostgreSQL.</summary>
    internal const string CityQuery = "SELECT id FROM organizations WHERE parent_id IS NULL ORDER BY id";

    /// <summary>The level-2 organisation with the most members in its subtree (ties: the lowest id); the same SQL on SQLite and PostgreSQL.</summary>
    private const string LargestDistrictQuery =
        "WITH RECURSIVE sub (root, id) AS (SELECT id, id FROM organizations WHERE level = 2 " +
        "UNION ALL SELECT sub.root, o.id FROM organizations o JOIN sub ON o.parent_id = sub.id) " +
        "SELECT sub.root FROM sub JOIN members m ON m.organization_id = sub.id GROUP BY sub.root ORDER BY COUNT(*) DESC, sub.root LIMIT 1";

    private readonly SyncSetup _setup;
    private readonly List<SyncMeasurement> _results = [];

    private SyncScenarios(SyncSetup setup)
    {
        _setup = setup;
    }

    public static Task<SyncReport> RunAsync(SyncSetup setup, CancellationToken cancellationToken) => new SyncScenarios(setup).RunAsync(cancellationToken);

    private async Task<SyncReport> RunAsync(CancellationToken cancellationToken)
    {
        var sqliteCity = BenchDatabase.Sqlite(_setup.SqliteCity);
        var postgresCity = _setup.PostgresCity is { } pg ? BenchDatabase.Postgres(pg) : null;
        Guid city;
        Guid district;
        await using (var plain = sqliteCity.Open())
        {
            city = (await PlainSql.IdsAsync(plain, CityQuery, cancellationToken)).Single();
            district = (await PlainSql.IdsAsync(plain, LargestDistrictQuery, cancellationToken)).Single();
        }

        // A plain (never provisioned) copy of the PostgreSQL city, made before the engine provisions the city.
        var postgresPlain = postgresCity is null
            ? null
            : BenchDatabase.Postgres(await _setup.Postgres!.CopyDatabaseAsync(_setup.Prefix + "plain", postgresCity.ConnectionString, cancellationToken));

        // PostgreSQL → SQLite is the headline pair; without PostgreSQL, SQLite → SQLite stands in for it.
        BenchDatabase[] parents = postgresCity is null ? [sqliteCity] : [postgresCity, sqliteCity];
        var main = parents[0];
        Yardstick? cityRaw = null;
        Yardstick? districtRaw = null;
        BenchDatabase? mainChild = null;
        foreach (var parent in parents)
        {
            var first = ReferenceEquals(parent, main);
            BenchDatabase child;
            (child, cityRaw) = await InitialLoadAsync(parent, "whole federation (scope = city)", "city", city, cityRaw, measureSize: first, cancellationToken);
            await NoOpAsync(parent, child, "whole federation", cancellationToken);
            if (first)
            {
                mainChild = child;
            }
            else
            {
                BenchDatabases.DeleteSqlite(BenchDatabases.SqlitePath(child.ConnectionString));
            }

            (child, districtRaw) = await InitialLoadAsync(parent, "district (largest level-2 organisation)", "district", district, districtRaw, measureSize: first, cancellationToken);
            BenchDatabases.DeleteSqlite(BenchDatabases.SqlitePath(child.ConnectionString));
        }

        BenchDatabases.DeleteSqlite(BenchDatabases.SqlitePath(districtRaw!.Database.ConnectionString));
        var edited = await IncrementalAsync(main, mainChild!, postgresPlain ?? cityRaw!.Database, cityRaw!.Database, cancellationToken);
        await ConflictOverheadAsync(main, mainChild!, cancellationToken);
        return new SyncReport(_results, city, cityRaw.Rows, district, districtRaw.Rows, edited);
    }

    /// <summary>Scenario 1 (and 6): a first sync into an empty SQLite child; the yardstick is the raw copy of the child's resulting rows.</summary>
    private async Task<(BenchDatabase Child, Yardstick Raw)> InitialLoadAsync(
        BenchDatabase parent, string scopeLabel, string scopeName, Guid scope, Yardstick? raw, bool measureSize, CancellationToken cancellationToken)
    {
        var child = BenchDatabase.Sqlite(BenchDatabases.SqliteConnectionString(_setup.WorkDirectory, $"{_setup.Prefix}child-{parent.Label.ToLowerInvariant()}-{scopeName}"));
        await Console.Error.WriteLineAsync($"Sync: initial load of the {scopeLabel}, {parent.Label} → SQLite ...");
        var load = await _setup.Runner.SyncAsync(new SyncRun($"initial load of the {scopeLabel}, {parent.Label} → SQLite", parent, child, scope), cancellationToken);
        raw ??= await RawCopyAsync(parent, scopeName, scope, cancellationToken);
        var target = parent.IsPostgres && scopeName == "city" ? InitialLoadTarget + "; ≤ 23 s at 1 M members" : InitialLoadTarget;
        _results.Add(new SyncMeasurement(
            $"initial load, {scopeLabel}", $"{parent.Label} → SQLite", load.RowsDown, load.Elapsed, load.PeakRssMebibytes,
            string.Create(CultureInfo.InvariantCulture, $"raw copy of the child's {raw.Rows:N0} rows into an empty SQLite file"), raw.Elapsed, load.Elapsed / raw.Elapsed, target,
            StartRssMebibytes: load.StartRssMebibytes));
        if (measureSize)
        {
            var size = await BenchDatabases.SqliteFileSizeAsync(child.ConnectionString, cancellationToken);
            _results.Add(new SyncMeasurement(
                $"child file size after the initial load, {scopeLabel}", $"{parent.Label} → SQLite", null, null, null,
                $"the raw copy's file: {Mebibytes(raw.FileBytes)} MiB", null, (double)size / raw.FileBytes, "≤ 1.3×", $"{Mebibytes(size)} MiB"));
        }

        return (child, raw);
    }

    /// <summary>The rows a child of <paramref name="scope"/> holds, read from the (now provisioned) parent untimed, then copied raw into an empty SQLite file, timed.</summary>
    private async Task<Yardstick> RawCopyAsync(BenchDatabase parent, string scopeName, Guid scope, CancellationToken cancellationToken)
    {
        List<(TableDescription Table, List<object?[]> Rows)> rows;
        await using (var provider = parent.Open())
        {
            rows = await ScopeRows.ReadScopeAsync(provider, scope, cancellationToken);
        }

        var count = rows.Sum(r => (long)r.Rows.Count);
        var raw = BenchDatabase.Sqlite(BenchDatabases.SqliteConnectionString(_setup.WorkDirectory, $"{_setup.Prefix}raw-{scopeName}"));
        await BenchDatabases.MigrateAsync(new SqliteProviderFactory(), raw.ConnectionString, cancellationToken);
        var elapsed = await RawSqliteCopy.CopyAsync(raw.ConnectionString, rows, cancellationToken);
        rows.Clear();
        var size = await BenchDatabases.SqliteFileSizeAsync(raw.ConnectionString, cancellationToken);
        return new Yardstick(raw, elapsed, count, size);
    }

    /// <summary>Scenario 5: a sync with nothing to do.</summary>
    private async Task NoOpAsync(BenchDatabase parent, BenchDatabase child, string scopeLabel, CancellationToken cancellationToken)
    {
        var noOp = await _setup.Runner.SyncAsync(new SyncRun($"no-op sync of the {scopeLabel}, {parent.Label} ↔ SQLite", parent, child, null), cancellationToken);
        _results.Add(new SyncMeasurement(
            $"no-op sync (nothing changed), {scopeLabel}", $"{parent.Label} ↔ SQLite", noOp.RowsUp + noOp.RowsDown, noOp.Elapsed, noOp.PeakRssMebibytes, "—", null, null, "—",
            StartRssMebibytes: noOp.StartRssMebibytes));
    }

    /// <summary>
    /// Scenarios 2, 3 and 4 on the loaded child: the same members (the first ones by id) changed at the parent with one
    /// plain UPDATE and downloaded, then changed at the child and uploaded. Each plain UPDATE runs first on the
    /// un-provisioned copy and then on the provisioned database: the triggers' cost.
    /// </summary>
    private async Task<int> IncrementalAsync(BenchDatabase parent, BenchDatabase child, BenchDatabase plainParent, BenchDatabase plainChild, CancellationToken cancellationToken)
    {
        var members = SyncTables.Members;
        List<Guid> keys;
        await using (var provider = parent.Open())
        {
            keys = await PlainSql.IdsAsync(provider, string.Create(CultureInfo.InvariantCulture, $"SELECT id FROM members ORDER BY id LIMIT {EditCount}"), cancellationToken);
        }

        var n = keys.Count;

        // The first n members by key, as a key range: with statistics the planner reads them through the key index on both
        // sides of a comparison. (An IN over an ordered LIMIT was planned as a hash join over a scan of every member once
        // the table was analysed, which put a scan of 1 M rows into the plain UPDATE the triggers are compared with.)
        var pick = string.Create(CultureInfo.InvariantCulture, $"id BETWEEN '{keys[0]:D}' AND '{keys[^1]:D}'");
        var warmUp = $"SELECT COUNT(*) + SUM(skill_level) FROM members WHERE {pick}";
        var label = string.Create(CultureInfo.InvariantCulture, $"{n:N0}");

        // 4 at the parent, and the change that 2 downloads.
        await Console.Error.WriteLineAsync($"Sync: {label} members changed at the parent, downloaded ...");
        var parentEdit = $"UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE {pick}";
        await TriggerOverheadAsync(parent, plainParent, warmUp, parentEdit, $"{label} members, at the parent", cancellationToken);

        // The rounds above changed each row several times; they come down untimed, so that the timed download is of one
        // edit per row, as the upload's is (a PostgreSQL parent folds one change-log row per edit).
        await _setup.Runner.SyncAsync(new SyncRun($"download of the trigger rounds' edits (untimed), {parent.Label} → SQLite", parent, child, null), cancellationToken);
        await EditAsync(parent, warmUp, parentEdit, cancellationToken);

        // 2: incremental download; the yardstick writes the parent's new rows into the plain SQLite copy.
        var down = await _setup.Runner.SyncAsync(new SyncRun($"incremental download of {label} changed members, {parent.Label} → SQLite", parent, child, null), cancellationToken);
        List<object?[]> changed;
        await using (var provider = parent.Open())
        {
            changed = await ScopeRows.ReadByKeysAsync(provider, members, keys, cancellationToken);
        }

        var rawDown = await RawSqliteUpdate.UpdateAsync(plainChild.ConnectionString, members, changed, cancellationToken);
        _results.Add(new SyncMeasurement(
            $"incremental download of {label} changed members", $"{parent.Label} → SQLite", down.RowsDown, down.Elapsed, down.PeakRssMebibytes,
            "raw UPDATE of the same rows on a plain SQLite copy (prepared UPDATE of every column by id, one transaction)", rawDown, down.Elapsed / rawDown, "≤ 2× raw UPDATE",
            StartRssMebibytes: down.StartRssMebibytes));

        // 4 at the child, and the edits that 3 uploads.
        await Console.Error.WriteLineAsync($"Sync: {label} members edited at the child, uploaded ...");
        var childEdit = $"UPDATE members SET skill_level = (skill_level + 2) % 6 WHERE {pick}";
        await TriggerOverheadAsync(child, plainChild, warmUp, childEdit, $"{label} members, at the child", cancellationToken);

        // The rounds above changed each row several times; they go up untimed, so that the timed upload is of one edit per row.
        await _setup.Runner.SyncAsync(new SyncRun($"upload of the trigger rounds' edits (untimed), SQLite → {parent.Label}", parent, child, null), cancellationToken);
        await EditAsync(child, warmUp, childEdit, cancellationToken);

        // 3: upload; the yardstick writes the child's edited rows into the plain copy of the parent.
        var up = await _setup.Runner.SyncAsync(new SyncRun($"upload of {label} child edits, SQLite → {parent.Label}", parent, child, null), cancellationToken);
        List<object?[]> edits;
        await using (var provider = child.Open())
        {
            edits = await ScopeRows.ReadByKeysAsync(provider, members, keys, cancellationToken);
        }

        var (rawUp, rawUpLabel) = plainParent.IsPostgres
            ? (await RawPostgresUpdate.UpdateAsync(plainParent.ConnectionString, members, edits, cancellationToken),
               "raw UPDATE of the same rows on a plain PostgreSQL copy (binary COPY into a temp table + one UPDATE … FROM, one transaction)")
            : (await RawSqliteUpdate.UpdateAsync(plainParent.ConnectionString, members, edits, cancellationToken),
               "raw UPDATE of the same rows on a plain SQLite copy (prepared UPDATE of every column by id, one transaction)");
        _results.Add(new SyncMeasurement(
            $"upload of {label} child edits", $"SQLite → {parent.Label}", up.RowsUp, up.Elapsed, up.PeakRssMebibytes, rawUpLabel, rawUp, up.Elapsed / rawUp, "≤ 3× raw UPDATE",
            StartRssMebibytes: up.StartRssMebibytes));
        return n;
    }

    /// <summary>
    /// The cost of deciding conflicts (issue 5), per policy: an upload of the same child edits with none of them
    /// conflicting, then with one in ten of those rows also changed at the parent; the yardstick is the first.
    /// </summary>
    private async Task ConflictOverheadAsync(BenchDatabase parent, BenchDatabase child, CancellationToken cancellationToken)
    {
        int n;
        await using (var provider = parent.Open())
        {
            n = (await PlainSql.IdsAsync(provider, string.Create(CultureInfo.InvariantCulture, $"SELECT id FROM members ORDER BY id LIMIT {EditCount}"), cancellationToken)).Count;
        }

        var conflicting = Math.Max(1, n / 10);
        var pick = string.Create(CultureInfo.InvariantCulture, $"id IN (SELECT id FROM members ORDER BY id LIMIT {n})");
        var pickConflicting = string.Create(CultureInfo.InvariantCulture, $"id IN (SELECT id FROM members ORDER BY id LIMIT {conflicting})");
        var warmUp = $"SELECT COUNT(*) + SUM(skill_level) FROM members WHERE {pick}";
        var round = 0;
        foreach (var policy in new[] { ConflictPolicy.ParentWins, ConflictPolicy.ChildWins, ConflictPolicy.LastWriterWins, ConflictPolicy.Manual, ConflictPolicy.MergeColumns, ConflictPolicy.FieldAuthority })
        {
            await using (var provider = parent.Open())
            {
                await provider.Metadata.SetPolicyAsync("members", policy, cancellationToken);
            }

            await Console.Error.WriteLineAsync($"Sync: {n:N0} child edits uploaded, none and then {conflicting:N0} conflicting, policy {policy.Name()} ...");
            await EditAsync(child, warmUp, $"UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE {pick}", cancellationToken);
            var clean = await _setup.Runner.SyncAsync(
                new SyncRun(string.Create(CultureInfo.InvariantCulture, $"upload of {n:N0} child edits, none conflicting, policy {policy.Name()}"), parent, child, null, policy),
                cancellationToken);
            await EditAsync(parent, warmUp, string.Create(CultureInfo.InvariantCulture, $"UPDATE members SET phone = '139{++round:D8}' WHERE {pickConflicting}"), cancellationToken);
            await EditAsync(child, warmUp, $"UPDATE members SET skill_level = (skill_level + 1) % 6 WHERE {pick}", cancellationToken);
            var mixed = await _setup.Runner.SyncAsync(
                new SyncRun(string.Create(CultureInfo.InvariantCulture, $"upload of {n:N0} child edits, {conflicting:N0} conflicting, policy {policy.Name()}"), parent, child, null, policy),
                cancellationToken);
            _results.Add(new SyncMeasurement(
                string.Create(CultureInfo.InvariantCulture, $"upload of {n:N0} child edits, {mixed.Conflicts:N0} of them conflicting, policy {policy.Name()}"),
                $"SQLite → {parent.Label}", mixed.RowsUp + mixed.RowsDown, mixed.Elapsed, mixed.PeakRssMebibytes,
                string.Create(CultureInfo.InvariantCulture, $"the same upload with no conflict ({clean.RowsUp:N0} rows up), same policy"),
                clean.Elapsed, mixed.Elapsed / clean.Elapsed, "report (issue 5)", StartRssMebibytes: mixed.StartRssMebibytes));
        }

        await using (var provider = parent.Open())
        {
            await provider.Metadata.SetPolicyAsync("members", ConflictPolicy.ParentWins, cancellationToken);
        }
    }

    private static async Task EditAsync(BenchDatabase database, string warmUp, string update, CancellationToken cancellationToken)
    {
        await using var provider = database.Open();
        await PlainSql.TimeStatementAsync(provider, warmUp, update, cancellationToken);
    }

    /// <summary>
    /// Scenario 4: the same plain UPDATE on the un-provisioned copy and on the provisioned database, alternately, in
    /// <see cref="TriggerRounds"/> rounds; the medians are compared (one statement of 10 k rows takes tens of
    /// milliseconds, where one run's noise is as large as the triggers' cost). Every round changes the same rows again.
    /// Each timed statement starts from a checkpoint (untimed), and the side that goes first alternates: on PostgreSQL
    /// the second UPDATE of a pair otherwise writes out the pages the first one dirtied in the shared buffers, which
    /// made the second 1.1 to 1.5 times slower with the tracking triggers disabled, always charged to the provisioned side.
    /// On PostgreSQL both databases are analysed first (untimed), so that the UPDATE runs with the same plan on both: the copy
    /// keeps the statistics it was copied with, while the original is analysed by autovacuum as the sessions read it, and on
    /// PostgreSQL at 1 M members the two plans differed (a hash join over a scan of every member on the provisioned side, a
    /// nested loop over the key index on the copy) by 170 ms, which had been counted as the triggers' cost. The plans
    /// are printed with the rounds, and a difference on PostgreSQL is flagged. (SQLite keeps no statistics unless told to, on
    /// either side.)
    /// </summary>
    private async Task TriggerOverheadAsync(BenchDatabase provisioned, BenchDatabase plain, string warmUp, string update, string what, CancellationToken cancellationToken)
    {
        var plans = new List<string>();
        foreach (var side in new[] { plain, provisioned })
        {
            await using var provider = side.Open();
            if (side.IsPostgres)
            {
                await PlainSql.ExecuteAsync(provider, "ANALYZE", cancellationToken);
            }

            plans.Add(await PlainSql.PlanAsync(provider, side.IsPostgres, update, cancellationToken));
        }

        // On SQLite a table with row triggers is updated in two passes (the rows are found first, then changed), so the plans
        // differ by the triggers' own doing; on PostgreSQL a difference comes from the databases, and is flagged.
        await Console.Error.WriteLineAsync(
            plans[0] == plans[1] ? $"  plan on both sides: {plans[0]}"
            : provisioned.IsPostgres ? $"  PLANS DIFFER, the ratio compares two plans: plain: {plans[0]}; provisioned: {plans[1]}"
            : $"  plans: plain: {plans[0]}; provisioned: {plans[1]}");
        var baselines = new List<TimeSpan>();
        var tracked = new List<TimeSpan>();
        var rows = 0;
        for (var round = 0; round < TriggerRounds; round++)
        {
            var plainFirst = round % 2 == 0;
            foreach (var side in plainFirst ? new[] { plain, provisioned } : [provisioned, plain])
            {
                await using var provider = side.Open();
                await PlainSql.CheckpointAsync(provider, side.IsPostgres, cancellationToken);
                var (elapsed, changed) = await PlainSql.TimeStatementAsync(provider, warmUp, update, cancellationToken);
                if (ReferenceEquals(side, plain))
                {
                    baselines.Add(elapsed);
                }
                else
                {
                    tracked.Add(elapsed);
                    rows = changed;
                }
            }
        }

        await Console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture, $"  rounds (ms), plain: {string.Join(", ", baselines.Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}; " +
            $"provisioned: {string.Join(", ", tracked.Select(t => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}"));
        var baseline = Median(baselines);
        var median = Median(tracked);
        _results.Add(new SyncMeasurement(
            string.Create(CultureInfo.InvariantCulture, $"trigger overhead: one plain UPDATE of {what}, provisioned (median of {TriggerRounds})"), provisioned.Label, rows, median, null,
            string.Create(CultureInfo.InvariantCulture, $"the same UPDATE on an un-provisioned copy (median of {TriggerRounds}, alternating which goes first, each after a checkpoint{(provisioned.IsPostgres ? "; both analysed" : string.Empty)})"), baseline, median / baseline, "≤ 1.5× plain UPDATE"));
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Mebibytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>A raw copy: its file (afterwards the plain, un-provisioned copy of those rows), its time, its rows, its size.</summary>
    private sealed record Yardstick(BenchDatabase Database, TimeSpan Elapsed, long Rows, long FileBytes);
}
