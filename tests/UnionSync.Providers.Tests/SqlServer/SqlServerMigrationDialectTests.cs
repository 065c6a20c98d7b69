using UnionSync.Providers.SqlServer;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Tests.SqlServer;

public sealed class SqlServerMigrationDialectTests
{
    private readonly SqlServerMigrationDialect _dialect = new();

    [Fact]
    public void Batches_split_on_lines_holding_only_GO_in_any_case()
    {
        var script = "CREATE TABLE a (x int);\nGO\nCREATE TABLE b (y int);\r\n  go  \r\nCREATE TABLE c (z int);\nGo\n";

        var batches = _dialect.SplitBatches(script).Select(b => b.Trim()).ToList();

        Assert.Equal(["CREATE TABLE a (x int);", "CREATE TABLE b (y int);", "CREATE TABLE c (z int);"], batches);
    }

    [Fact]
    public void GO_inside_a_line_or_as_part_of_a_word_does_not_split()
    {
        var script = "SELECT 1 AS go_on;\nGOTO done;\n-- GO here\ndone: SELECT 2;\n";

        var batch = Assert.Single(_dialect.SplitBatches(script));

        Assert.Contains("GOTO done;", batch, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_batches_are_dropped()
    {
        Assert.Equal(["SELECT 1;"], _dialect.SplitBatches("GO\n\nGO\nSELECT 1;\nGO\n   \nGO").Select(b => b.Trim()));
    }

    [Fact]
    public void Version_table_is_created_only_when_missing_and_lock_belongs_to_the_transaction()
    {
        Assert.Contains($"OBJECT_ID(N'{MigrationDialect.VersionTable}', N'U') IS NULL", _dialect.CreateVersionTableSql, StringComparison.Ordinal);
        Assert.Contains("sp_getapplock", _dialect.LockSql, StringComparison.Ordinal);
        Assert.Contains("@LockOwner = N'Transaction'", _dialect.LockSql, StringComparison.Ordinal);
    }
}
