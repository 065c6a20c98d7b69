using UnionSync.Providers.SqlServer;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Every text the SQL Server provider sends is valid T-SQL for SQL Server 2022, checked by its own parser without a server.</summary>
public sealed class SqlServerStatementParsingTests
{
    public static TheoryData<string> MigrationNames() => [.. SqlServerStatements.Migrations.Select(m => $"{m.Version:D3}_{m.Name}")];

    public static TheoryData<string> StatementNames() => [.. SqlServerStatements.All.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(MigrationNames))]
    public void Migration_script_parses_whole_with_its_GO_separators(string migration)
    {
        var script = SqlServerStatements.Migrations.Single(m => $"{m.Version:D3}_{m.Name}" == migration).Script;

        TSqlParsing.ParseOrFail(script, $"Migration {migration}");
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Generated_statement_parses(string statement)
    {
        var sql = SqlServerStatements.All.Single(s => s.Key == statement).Value;

        TSqlParsing.ParseOrFail(sql, statement);
    }

    [Fact]
    public void Statement_list_holds_every_migration_batch_and_the_dialect_and_bulk_statements()
    {
        var names = SqlServerStatements.All.Select(s => s.Key).ToList();

        Assert.Contains(names, n => n.StartsWith("migration 001_core batch", StringComparison.Ordinal));
        Assert.Contains("dialect CreateVersionTableSql", names);
        Assert.Contains("dialect LockSql", names);
        Assert.Contains("dialect InsertVersionSql", names);
        Assert.Contains("dialect SelectVersionsSql", names);
        Assert.Contains("bulk SaveTableSavepointSql", names);
        Assert.Contains("bulk RollbackTableSavepointSql", names);
        var batches = SqlServerStatements.Migrations.Sum(m => SqlServerStatements.Dialect.SplitBatches(m.Script).Count());
        Assert.Equal(batches, names.Count(n => n.StartsWith("migration ", StringComparison.Ordinal)));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Migrations_are_embedded_from_the_Schema_folder_in_version_order()
    {
        var migrations = SqlServerStatements.Migrations;

        Assert.NotEmpty(migrations);
        Assert.Equal(1, migrations[0].Version);
        Assert.Equal("core", migrations[0].Name);
        Assert.Equal(migrations.OrderBy(m => m.Version).Select(m => m.Version), migrations.Select(m => m.Version));
    }

    [Theory]
    [InlineData("INSERT INTO members (id) VALUES (@id) ON CONFLICT (id) DO NOTHING")]
    [InlineData("SELECT id FROM members ORDER BY id LIMIT 10")]
    [InlineData("CREATE TABLE IF NOT EXISTS unionsync_schema_version (version int NOT NULL PRIMARY KEY)")]
    public void Statement_in_another_dialect_fails_the_check_with_its_place(string sql)
    {
        var failure = Assert.Throws<Xunit.Sdk.FailException>(() => TSqlParsing.ParseOrFail(sql, "a PostgreSQL statement"));

        Assert.Contains("line 1, column", failure.Message, StringComparison.Ordinal);
    }
}
