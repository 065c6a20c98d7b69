using System.Text;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// What SQL Server says to <see cref="SqlSchemaMigrator"/>: a version table created only if missing (safe when
/// several hub instances start at once), batches split on <c>GO</c> lines, and an application lock owned by the
/// migration transaction. Names are unqualified, so they resolve in the login's default schema like the tables.
/// </summary>
internal sealed class SqlServerMigrationDialect : MigrationDialect
{
    /// <summary>The name of the application lock that serialises migrators.</summary>
    public const string LockResource = "unionsync_schema_migration";

    // A concurrent migrator may create the table between the check and CREATE TABLE: error 2714 is then harmless.
    public override string CreateVersionTableSql { get; } =
        $"""
        IF OBJECT_ID(N'{VersionTable}', N'U') IS NULL
        BEGIN
            BEGIN TRY
                CREATE TABLE {VersionTable}
                (
                    version    int           NOT NULL CONSTRAINT pk_{VersionTable} PRIMARY KEY,
                    name       nvarchar(200) NOT NULL,
                    applied_at datetime2(6)  NOT NULL CONSTRAINT df_{VersionTable}_applied_at DEFAULT SYSUTCDATETIME()
                );
            END TRY
            BEGIN CATCH
                IF ERROR_NUMBER() <> 2714
                    THROW;
            END CATCH;
        END;
        """;

    // sp_getapplock returns a negative status instead of raising: 0/1 granted, -1 timeout, -2 cancelled, -3 deadlock, -999 error.
    public override string? LockSql { get; } =
        $"""
        DECLARE @lock_result int;
        EXEC @lock_result = sp_getapplock @Resource = N'{LockResource}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;
        IF @lock_result < 0
            THROW 51000, N'Could not take the schema-migration lock {LockResource}; another migrator holds it or was chosen over this one. Retry the migration.', 1;
        """;

    /// <summary>Splits on lines holding only <c>GO</c> (any case, surrounding blanks allowed), as sqlcmd does; <c>GO n</c> is not supported.</summary>
    public override IEnumerable<string> SplitBatches(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var batches = new List<string>();
        var batch = new StringBuilder();
        using var reader = new StringReader(script);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Equals("GO", StringComparison.OrdinalIgnoreCase))
            {
                AddBatch(batches, batch);
                continue;
            }

            batch.Append(line).Append('\n');
        }

        AddBatch(batches, batch);
        return batches;
    }

    private static void AddBatch(List<string> batches, StringBuilder batch)
    {
        var text = batch.ToString();
        batch.Clear();
        if (!string.IsNullOrWhiteSpace(text))
        {
            batches.Add(text);
        }
    }
}
