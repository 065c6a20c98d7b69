using System.Reflection;
using UnionSync.Providers.SqlServer.Retention;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Metadata;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// Retention's T-SQL (docs/sync-engine.md §9), checked by the SQL Server parser without a server: every statement parses,
/// the purge touches tombstones only and bounds by the rowversion, the watermark is never @@DBTS, and the retention
/// tables are created by provisioning and dropped by deprovisioning.
/// </summary>
public sealed class SqlServerRetentionScriptTests
{
    public static TheoryData<string> StatementNames() => [.. SqlServerRetentionSql.Statements().Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Retention_statement_parses(string statement)
    {
        var sql = SqlServerRetentionSql.Statements().Single(s => s.Key == statement).Value;

        TSqlParsing.ParseOrFail(sql, statement);
    }

    /// <summary>The shared ANSI statements of <see cref="SqlRetention"/> are private to it; each must also be valid T-SQL.</summary>
    [Fact]
    public void The_shared_retention_statements_parse_as_T_SQL()
    {
        var statements = typeof(SqlRetention)
            .GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .ToList();

        Assert.True(statements.Count >= 8, $"{statements.Count} statements found");
        foreach (var (name, sql) in statements)
        {
            TSqlParsing.ParseOrFail(sql, $"SqlRetention.{name}");
        }
    }

    [Fact]
    public void The_purge_deletes_tombstones_only_and_bounds_tracking_and_moves_by_the_rowversion()
    {
        Assert.Contains("WHERE deleted = 1 AND rv < CONVERT(binary(8), @floor)", SqlServerRetentionSql.DeleteTombstonesSql, StringComparison.Ordinal);
        Assert.Contains("rv < CONVERT(binary(8), @floor)", SqlServerRetentionSql.DeleteMovesSql, StringComparison.Ordinal);
        var collector = SqlServerTrackingCollector.Collect(SqlServerRetentionSql.Statements().Select(s => (s.Key, s.Value)));
        Assert.DoesNotContain(collector.GlobalVariables, v => string.Equals(v, "@@DBTS", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Holding_writers_off_and_reloading_make_the_triggers_stand_aside()
    {
        Assert.Contains("EXEC sp_set_session_context @key = N'unionsync.applying', @value = 1;", SqlServerRetentionSql.HoldSql, StringComparison.Ordinal);
        Assert.Contains("EXEC sp_set_session_context @key = N'unionsync.applying', @value = 1;", SqlServerRetentionSql.ReloadSql, StringComparison.Ordinal);
        foreach (var table in new[] { "organizations", "members", "service_cards" })
        {
            Assert.Contains($"FROM {table} WITH (TABLOCKX, HOLDLOCK)", SqlServerRetentionSql.HoldSql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Provisioning_creates_the_retention_tables_and_deprovisioning_drops_them()
    {
        var provision = SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.ProvisionBatches.Select((b, i) => ($"provision batch {i + 1}", b)));
        var deprovision = SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.DeprovisionBatches.Select((b, i) => ($"deprovision batch {i + 1}", b)));

        foreach (var table in new[] { "unionsync_watermark_marks", "unionsync_retention" })
        {
            Assert.Contains(table, provision.CreatedTables);
            Assert.Contains(table, deprovision.DroppedTables);
        }
    }
}
