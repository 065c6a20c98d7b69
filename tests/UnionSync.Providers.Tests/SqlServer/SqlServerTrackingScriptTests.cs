using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Metadata;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// The change-tracking T-SQL, checked by the SQL Server parser without a server: the triggers, the metadata tables, what
/// deprovisioning drops, and the watermark rule of DESIGN §7 (MIN_ACTIVE_ROWVERSION, never @@DBTS).
/// </summary>
public sealed class SqlServerTrackingScriptTests
{
    private static readonly Lazy<SqlServerTrackingCollector> s_provision = new(() =>
        SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.ProvisionBatches.Select((b, i) => ($"provision batch {i + 1}", b))));

    private static readonly Lazy<SqlServerTrackingCollector> s_deprovision = new(() =>
        SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.DeprovisionBatches.Select((b, i) => ($"deprovision batch {i + 1}", b))));

    private static readonly Lazy<SqlServerTrackingCollector> s_all = new(() =>
        SqlServerTrackingCollector.Collect(SqlServerStatements.All.Select(s => (s.Key, s.Value))));

    public static TheoryData<string, string> TablesAndEvents() =>
        new(from table in SyncTables.All from e in new[] { "Insert", "Update", "Delete" } select (table.Name, e));

    [Theory]
    [MemberData(nameof(TablesAndEvents))]
    public void Each_table_has_one_AFTER_trigger_for_each_event_that_stands_aside_while_applying(string table, string triggerEvent)
    {
        var triggers = s_provision.Value.Triggers
            .Where(t => t.TriggerObject.Name.BaseIdentifier.Value == table)
            .Where(t => t.TriggerActions.Any(a => a.TriggerActionType.ToString() == triggerEvent))
            .ToList();

        var trigger = Assert.Single(triggers);
        Assert.Equal(TriggerType.After, trigger.TriggerType);
        var body = TSqlParsing.TextOf(trigger);
        Assert.Contains("SESSION_CONTEXT(N'unionsync.applying')) = 1", body, StringComparison.Ordinal);
        Assert.Contains(triggerEvent == "Delete" ? "FROM deleted" : "FROM inserted", body, StringComparison.Ordinal);
        Assert.Contains("NEXT VALUE FOR unionsync_version_seq", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_triggers_log_scope_moves_and_delete_triggers_write_tombstones_with_their_scope()
    {
        foreach (var trigger in s_provision.Value.Triggers)
        {
            var body = TSqlParsing.TextOf(trigger);
            var action = Assert.Single(trigger.TriggerActions).TriggerActionType;
            Assert.Equal(action == TriggerActionType.Update, body.Contains("INSERT INTO unionsync_moves", StringComparison.Ordinal));
            Assert.Equal(action == TriggerActionType.Delete, body.Contains("deleted = 1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Provisioning_creates_every_metadata_table_of_the_design_and_the_version_sequence()
    {
        Assert.Equal(
            ["unionsync_applied_batches", "unionsync_base_capture", "unionsync_base_members", "unionsync_base_organizations", "unionsync_base_service_cards",
             "unionsync_column_owners", "unionsync_conflicts", "unionsync_moves", "unionsync_node", "unionsync_nodes", "unionsync_peer_columns", "unionsync_peers", "unionsync_policies",
             "unionsync_policy_fallbacks", "unionsync_retention", "unionsync_sessions", "unionsync_tracking", "unionsync_watermark_marks"],
            s_provision.Value.CreatedTables.Order(StringComparer.Ordinal));
        Assert.Equal(["unionsync_version_seq"], s_provision.Value.CreatedSequences);
    }

    [Fact]
    public void Tracking_and_moves_carry_a_rowversion_indexed_for_range_seeks()
    {
        foreach (var name in new[] { "unionsync_tracking", "unionsync_moves" })
        {
            var table = s_provision.Value.TableStatements.Single(t => t.SchemaObjectName.BaseIdentifier.Value == name);
            var rv = table.Definition.ColumnDefinitions.Single(c => c.ColumnIdentifier.Value == "rv");
            Assert.Equal(SqlDataTypeOption.Rowversion, Assert.IsType<SqlDataTypeReference>(rv.DataType).SqlDataTypeOption);
            Assert.Contains(
                s_provision.Value.Indexes,
                i => i.OnName.BaseIdentifier.Value == name && i.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).Last() == "rv");
        }

        var tracking = s_provision.Value.TableStatements.Single(t => t.SchemaObjectName.BaseIdentifier.Value == "unionsync_tracking");
        var tbl = tracking.Definition.ColumnDefinitions.Single(c => c.ColumnIdentifier.Value == "tbl");
        Assert.Equal(SqlDataTypeOption.TinyInt, Assert.IsType<SqlDataTypeReference>(tbl.DataType).SqlDataTypeOption);
    }

    [Fact]
    public void Deprovisioning_drops_every_trigger_table_and_sequence_that_provisioning_creates()
    {
        Assert.Equal(
            s_provision.Value.Triggers.Select(t => t.Name.BaseIdentifier.Value).Order(StringComparer.Ordinal),
            s_deprovision.Value.DroppedTriggers.Order(StringComparer.Ordinal));
        Assert.Equal(s_provision.Value.CreatedTables.Order(StringComparer.Ordinal), s_deprovision.Value.DroppedTables.Order(StringComparer.Ordinal));
        Assert.Equal(s_provision.Value.CreatedSequences, s_deprovision.Value.DroppedSequences);
        Assert.DoesNotContain("unionsync_schema_version", s_deprovision.Value.DroppedTables);
    }

    [Fact]
    public void No_statement_reads_DBTS_and_the_watermark_is_MIN_ACTIVE_ROWVERSION()
    {
        Assert.DoesNotContain(s_all.Value.GlobalVariables, v => string.Equals(v, "@@DBTS", StringComparison.OrdinalIgnoreCase));

        var watermark = SqlServerTrackingCollector.Collect([("watermark", SqlServerChangeSql.WatermarkSql)]);
        Assert.Contains("MIN_ACTIVE_ROWVERSION", watermark.Functions, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_DBTS_check_sees_DBTS_where_it_is_used()
    {
        var collector = SqlServerTrackingCollector.Collect([("a wrong watermark", "SELECT CONVERT(bigint, @@DBTS);")]);

        Assert.Contains("@@DBTS", collector.GlobalVariables, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Change_selection_is_bounded_by_the_previous_and_the_current_watermark_on_the_rowversion()
    {
        foreach (var table in SqlServerTrackedTable.All)
        {
            var sql = SqlServerChangeSql.For(table).ChangesSql;
            Assert.Contains("tr.rv >= CONVERT(binary(8), @since) AND tr.rv < CONVERT(binary(8), @watermark)", sql, StringComparison.Ordinal);
            Assert.Contains("ORDER BY tr.id", sql, StringComparison.Ordinal);
        }

        Assert.Contains("rv < CONVERT(binary(8), @watermark)", SqlServerChangeSql.MovesSql, StringComparison.Ordinal);
    }

    [Fact]
    public void No_MERGE_uses_NEXT_VALUE_FOR()
    {
        Assert.Equal(0, s_all.Value.NextValueInMerge);
        var wrong = SqlServerTrackingCollector.Collect(
            [("a MERGE with a sequence", "MERGE t AS t USING s AS s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, NEXT VALUE FOR q);")]);
        Assert.Equal(1, wrong.NextValueInMerge);
    }

    [Fact]
    public void Applying_from_a_parent_sets_the_base_and_applying_from_a_child_keeps_it()
    {
        foreach (var table in SqlServerTrackedTable.All)
        {
            var sql = SqlServerApplySql.For(table);
            Assert.Contains("base_node_no = o.node_no, base_version = s.unionsync_origin_version", sql.ApplySql, StringComparison.Ordinal);
            Assert.DoesNotContain("base_node_no = ", sql.ApplyFromChildSql, StringComparison.Ordinal);
            Assert.Contains("s.unionsync_origin_version, NULL, NULL,", sql.ApplyFromChildSql, StringComparison.Ordinal);
            Assert.Contains("EXEC sp_set_session_context @key = N'unionsync.applying', @value = 1;", SqlServerApplySql.BeginSql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Statement_list_holds_the_tracking_read_and_apply_statements()
    {
        var names = SqlServerStatements.All.Select(s => s.Key).ToList();

        Assert.Equal(SqlServerTrackingScripts.ProvisionBatches.Count, names.Count(n => n.StartsWith("tracking provision batch ", StringComparison.Ordinal)));
        Assert.Equal(SqlServerTrackingScripts.DeprovisionBatches.Count, names.Count(n => n.StartsWith("tracking deprovision batch ", StringComparison.Ordinal)));
        Assert.Contains("read WatermarkSql", names);
        Assert.Contains("apply BeginSql", names);
        Assert.Contains("apply RemoveLocallySql", names);
        foreach (var table in SyncTables.All)
        {
            Assert.Contains($"read ChangesSql {table.Name}", names);
            Assert.Contains($"apply ApplySql {table.Name}", names);
            Assert.Contains($"apply ApplyFromChildSql {table.Name}", names);
            Assert.Contains($"apply CurrentSql {table.Name}", names);
        }

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>The shared metadata class's ANSI statements are private to it; each one it holds must also be valid T-SQL.</summary>
    [Fact]
    public void The_shared_metadata_statements_parse_as_T_SQL()
    {
        var statements = typeof(SqlSyncMetadata)
            .GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .ToList();

        Assert.NotEmpty(statements);
        foreach (var (name, sql) in statements)
        {
            TSqlParsing.ParseOrFail(sql, $"SqlSyncMetadata.{name}");
        }
    }
}
