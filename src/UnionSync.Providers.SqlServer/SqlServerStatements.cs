using UnionSync.Sync.Providers;
using TrackingScripts = UnionSync.Providers.SqlServer.Tracking.SqlServerTrackingScripts;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// Every SQL text this provider sends, built once. The text is not a contract (the schema is); it is listed here so
/// that tests can parse each statement with the SQL Server parser without a server.
/// </summary>
internal static class SqlServerStatements
{
    /// <summary>The savepoint taken before each table of a bulk load, so that an aborted table can be undone alone.</summary>
    public const string TableSavepoint = "unionsync_bulk_table";

    public const string SaveTableSavepointSql = $"SAVE TRANSACTION {TableSavepoint};";

    /// <summary>Undoes the current table of a bulk load where the transaction can still commit; returns <c>XACT_STATE()</c> after it.</summary>
    public const string RollbackTableSavepointSql =
        $"""
        IF XACT_STATE() = 1
            ROLLBACK TRANSACTION {TableSavepoint};
        SELECT XACT_STATE();
        """;

    private static readonly Lazy<IReadOnlyList<KeyValuePair<string, string>>> s_all = new(() => Enumerate().ToList());

    public static IReadOnlyList<SchemaMigration> Migrations { get; } = SqlSchemaMigrator.LoadEmbedded(typeof(SqlServerStatements).Assembly);

    public static SqlServerMigrationDialect Dialect { get; } = new();

    /// <summary>
    /// Each statement as (what it is, its text): the migration batches, the dialect's statements, the bulk path's, the
    /// tracking scripts' batches and statements, the change reader's and the applier's (for the contract's tables; see
    /// <see cref="TableStatements"/> for a description with added columns).
    /// </summary>
    /// <remarks>Built on first use, not in the type initializer: the statement classes it lists use this class's helpers while they initialise.</remarks>
    public static IReadOnlyList<KeyValuePair<string, string>> All => s_all.Value;

    /// <summary>
    /// The statements built for one table's description (named with its <see cref="Sync.Schema.TableDescription.Signature"/>):
    /// the row reader's, the change reader's and the applier's. <see cref="All"/> holds them for the contract's tables; a
    /// description with added columns (docs/sync-engine.md §10) gets its own, built once on first use.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> TableStatements(Sync.Schema.TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var tracked = Tracking.SqlServerTrackedTable.For(table);
        yield return new($"read SelectAllSql {table.Signature}", SqlServerRowReader.SelectAllSql(table));
        foreach (var statement in Reading.SqlServerChangeSql.For(tracked).TableStatements().Concat(Apply.SqlServerApplySql.For(tracked).TableStatements()))
        {
            yield return statement;
        }
    }

    /// <summary>The bracket-quoted name SqlBulkCopy writes to.</summary>
    public static string QuoteIdentifier(string name) => "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";

    private static IEnumerable<KeyValuePair<string, string>> Enumerate()
    {
        foreach (var migration in Migrations)
        {
            var number = 0;
            foreach (var batch in Dialect.SplitBatches(migration.Script))
            {
                number++;
                yield return new($"migration {migration.Version:D3}_{migration.Name} batch {number}", batch);
            }
        }

        yield return new("dialect CreateVersionTableSql", Dialect.CreateVersionTableSql);
        yield return new("dialect SelectVersionsSql", Dialect.SelectVersionsSql);
        yield return new("dialect InsertVersionSql", Dialect.InsertVersionSql);
        yield return new("dialect LockSql", Dialect.LockSql!);
        yield return new("bulk SaveTableSavepointSql", SaveTableSavepointSql);
        yield return new("bulk RollbackTableSavepointSql", RollbackTableSavepointSql);
        foreach (var (script, batches) in new[] { ("provision", TrackingScripts.ProvisionBatches), ("deprovision", TrackingScripts.DeprovisionBatches) })
        {
            for (var i = 0; i < batches.Count; i++)
            {
                yield return new($"tracking {script} batch {i + 1}", batches[i]);
            }
        }

        yield return new("tracking LockSql", TrackingScripts.LockSql);
        yield return new("tracking EnableSnapshotIsolationSql", TrackingScripts.EnableSnapshotIsolationSql);
        yield return new("tracking RegisterNodeSql", TrackingScripts.RegisterNodeSql);
        yield return new("tracking NodeIdSql", TrackingScripts.NodeIdSql);
        yield return new("tracking IsProvisionedSql", TrackingScripts.IsProvisionedSql);
        yield return new("tracking SetBaseCaptureSql", TrackingScripts.SetBaseCaptureSql);
        foreach (var statement in Reading.SqlServerChangeSql.Statements().Concat(Apply.SqlServerApplySql.Statements()))
        {
            yield return statement;
        }

        foreach (var statement in Sync.Schema.SyncTables.All.SelectMany(TableStatements))
        {
            yield return statement;
        }
    }
}
