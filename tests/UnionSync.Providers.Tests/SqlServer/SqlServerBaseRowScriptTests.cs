using Microsoft.SqlServer.TransactSql.ScriptDom;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Retention;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// Base rows' T-SQL (docs/sync-engine.md §11), checked by the SQL Server parser without a server: each base-row table has
/// its data table's columns and types, only the update triggers keep base rows, a parent's apply drops them, a child's
/// keeps the rows before its MERGE, both only for a table in unionsync_base_capture, removal and reinitialising clear them,
/// setting the captured tables drops the base rows of the others, and reads take the contract's columns only.
/// </summary>
public sealed class SqlServerBaseRowScriptTests
{
    private static readonly Lazy<SqlServerSchemaCollector> s_schema = new(() =>
    {
        var collector = new SqlServerSchemaCollector();
        foreach (var migration in SqlServerStatements.Migrations)
        {
            TSqlParsing.ParseOrFail(migration.Script, $"Migration {migration.Version:D3}_{migration.Name}").Accept(collector);
        }

        return collector;
    });

    private static readonly Lazy<SqlServerTrackingCollector> s_provision = new(() =>
        SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.ProvisionBatches.Select((b, i) => ($"provision batch {i + 1}", b))));

    public static TheoryData<string> TableNames() => [.. SyncTables.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TableNames))]
    public void A_base_row_table_has_its_tables_columns_and_types_all_nullable_but_the_key_and_no_constraint_but_the_key(string table)
    {
        var data = s_schema.Value.Tables[table].Definition;
        var kept = Created($"unionsync_base_{table}").Definition;

        Assert.Equal(data.ColumnDefinitions.Select(c => (c.ColumnIdentifier.Value, TypeOf(c))), kept.ColumnDefinitions.Select(c => (c.ColumnIdentifier.Value, TypeOf(c))));
        Assert.Equal(SyncTables.Named(table).Columns.Select(c => c.Name), kept.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
        Assert.All(kept.ColumnDefinitions, c => Assert.Equal(c.ColumnIdentifier.Value != "id", c.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable));
        Assert.All(kept.ColumnDefinitions, c => Assert.Null(c.DefaultConstraint));
        Assert.Empty(kept.TableConstraints);
        var key = Assert.Single(kept.ColumnDefinitions.SelectMany(c => c.Constraints.Where(k => k is not NullableConstraintDefinition).Select(k => (c, k))));
        Assert.Equal("id", key.c.ColumnIdentifier.Value);
        Assert.True(Assert.IsType<UniqueConstraintDefinition>(key.k).IsPrimaryKey);
    }

    [Fact]
    public void Only_the_update_triggers_keep_base_rows_from_deleted_where_none_is_kept_and_after_standing_aside_when_the_table_is_captured()
    {
        foreach (var trigger in s_provision.Value.Triggers)
        {
            var table = trigger.TriggerObject.Name.BaseIdentifier.Value;
            var body = TSqlParsing.TextOf(trigger);
            var inserts = Inserts(trigger).Where(i => Target(i).StartsWith("unionsync_base_", StringComparison.Ordinal)).ToList();
            if (Assert.Single(trigger.TriggerActions).TriggerActionType != TriggerActionType.Update)
            {
                Assert.Empty(inserts);
                continue;
            }

            var insert = Assert.Single(inserts);
            Assert.Equal($"unionsync_base_{table}", Target(insert));
            Assert.Equal(SyncTables.Named(table).Columns.Select(c => c.Name), insert.InsertSpecification.Columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value));
            var text = TSqlParsing.TextOf(insert);
            Assert.Contains("FROM deleted AS d", text, StringComparison.Ordinal);
            Assert.Contains($"WHERE NOT EXISTS (SELECT 1 FROM unionsync_base_{table} AS b WHERE b.id = d.id)", text, StringComparison.Ordinal);
            Assert.True(
                body.IndexOf("SESSION_CONTEXT(N'unionsync.applying')", StringComparison.Ordinal) < body.IndexOf(text, StringComparison.Ordinal),
                $"{trigger.Name.BaseIdentifier.Value} keeps base rows before it stands aside for the engine's apply.");
            var captured = Assert.Single(Ifs(trigger), i => i.ThenStatement == insert);
            Assert.Null(captured.ElseStatement);
            Assert.IsType<ExistsPredicate>(captured.Predicate);
            Assert.StartsWith(
                $"IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {SqlServerTrackedTable.For(table).Number})",
                TSqlParsing.TextOf(captured),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_parents_apply_drops_the_base_rows_of_its_keys_and_a_childs_keeps_the_contract_columns_of_the_rows_before_its_merge()
    {
        foreach (var description in SyncTables.All.Append(AddedColumns.Members))
        {
            var tracked = SqlServerTrackedTable.For(description);
            var sql = SqlServerApplySql.For(tracked);
            var dropped = $"DELETE b FROM unionsync_base_{description.Name} AS b JOIN {tracked.StageTable} AS s ON s.[id] = b.id;";
            var contract = string.Join(", ", SyncTables.Named(description.Name).Columns.Select(c => SqlServerStatements.QuoteIdentifier(c.Name)));

            Assert.Contains(dropped, sql.ApplySql, StringComparison.Ordinal);
            Assert.DoesNotContain("INSERT INTO unionsync_base_", sql.ApplySql, StringComparison.Ordinal);
            Assert.DoesNotContain("DELETE b FROM unionsync_base_", sql.ApplyFromChildSql, StringComparison.Ordinal);
            var kept = sql.ApplyFromChildSql.IndexOf($"INSERT INTO unionsync_base_{description.Name} ({contract})", StringComparison.Ordinal);
            Assert.InRange(kept, 0, sql.ApplyFromChildSql.IndexOf("MERGE ", StringComparison.Ordinal));
            Assert.Contains("WHERE s.unionsync_kind = 0 AND NOT EXISTS", sql.ApplyFromChildSql, StringComparison.Ordinal);
            var captured = Assert.Single(
                Ifs(TSqlParsing.ParseOrFail(sql.ApplyFromChildSql, "ApplyFromChildSql")),
                i => i.ThenStatement is InsertStatement insert && Target(insert) == $"unionsync_base_{description.Name}");
            Assert.IsType<ExistsPredicate>(captured.Predicate);
            Assert.StartsWith(
                $"IF EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {tracked.Number})", TSqlParsing.TextOf(captured), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Setting_the_captured_tables_makes_the_capture_table_hold_exactly_them_and_empties_the_base_rows_of_the_others()
    {
        var sql = SqlServerTrackingScripts.SetBaseCaptureSql;
        var parsed = TSqlParsing.ParseOrFail(sql, "SetBaseCaptureSql");
        var statements = Assert.Single(((TSqlScript)parsed).Batches).Statements;

        Assert.Contains(new KeyValuePair<string, string>("tracking SetBaseCaptureSql", sql), SqlServerStatements.All);
        Assert.Contains("DELETE FROM unionsync_base_capture WHERE tbl NOT IN (SELECT j.tbl FROM OPENJSON(@tables)", sql, StringComparison.Ordinal);
        Assert.Equal("unionsync_base_capture", Target(Assert.Single(Inserts(parsed))));
        foreach (var table in SqlServerTrackedTable.All)
        {
            var dropped = Assert.Single(
                statements.OfType<IfStatement>(),
                i => i.ThenStatement is DeleteStatement delete
                    && ((NamedTableReference)delete.DeleteSpecification.Target).SchemaObject.BaseIdentifier.Value == table.BaseTable);
            Assert.IsType<ExistsPredicate>(Assert.IsType<BooleanNotExpression>(dropped.Predicate).Expression);
            Assert.StartsWith(
                $"IF NOT EXISTS (SELECT 1 FROM unionsync_base_capture WHERE tbl = {table.Number})", TSqlParsing.TextOf(dropped), StringComparison.Ordinal);
            Assert.Null(((DeleteStatement)dropped.ThenStatement).DeleteSpecification.WhereClause);
        }
    }

    [Fact]
    public void The_capture_table_is_keyed_by_the_table_number_with_the_type_of_the_tracking_tables_and_deprovisioning_drops_it()
    {
        var tracking = Created("unionsync_tracking").Definition.ColumnDefinitions.Single(c => c.ColumnIdentifier.Value == "tbl");
        var capture = Assert.Single(Created("unionsync_base_capture").Definition.ColumnDefinitions);

        Assert.Equal(("tbl", TypeOf(tracking)), (capture.ColumnIdentifier.Value, TypeOf(capture)));
        Assert.False(capture.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable);
        Assert.True(Assert.IsType<UniqueConstraintDefinition>(Assert.Single(capture.Constraints, c => c is not NullableConstraintDefinition)).IsPrimaryKey);
        Assert.Contains(
            "unionsync_base_capture",
            SqlServerTrackingCollector.Collect(SqlServerTrackingScripts.DeprovisionBatches.Select((b, i) => ($"deprovision batch {i + 1}", b))).DroppedTables);
    }

    [Fact]
    public void Local_removal_and_reinitialising_delete_from_every_base_row_table()
    {
        foreach (var table in SyncTables.All)
        {
            Assert.Contains($"DELETE b FROM unionsync_base_{table.Name} AS b WHERE", SqlServerApplySql.RemoveLocallySql, StringComparison.Ordinal);
            Assert.Contains($"DELETE FROM unionsync_base_{table.Name};", SqlServerRetentionSql.ClearSql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Base_rows_are_read_by_key_with_the_contract_columns_whatever_the_description_carries()
    {
        var names = SqlServerStatements.All.Select(s => s.Key).ToList();
        foreach (var table in SyncTables.All)
        {
            var sql = SqlServerChangeSql.For(SqlServerTrackedTable.For(table)).BaseRowsSql;
            var select = Assert.IsType<SelectStatement>(Assert.Single(Assert.Single(((TSqlScript)TSqlParsing.ParseOrFail(sql, "BaseRowsSql")).Batches).Statements));
            var columns = ((QuerySpecification)select.QueryExpression).SelectElements.Cast<SelectScalarExpression>()
                .Select(e => ((ColumnReferenceExpression)e.Expression).MultiPartIdentifier.Identifiers[^1].Value);
            Assert.Equal(table.Columns.Select(c => c.Name), columns);
            Assert.Contains($"FROM unionsync_base_{table.Name} AS b", sql, StringComparison.Ordinal);
            Assert.Contains($"read BaseRowsSql {table.Name}", names);
        }

        Assert.Equal(
            SqlServerChangeSql.For(SqlServerTrackedTable.Members).BaseRowsSql,
            SqlServerChangeSql.For(SqlServerTrackedTable.For(AddedColumns.Members)).BaseRowsSql);
    }

    [Fact]
    public void The_policy_tables_take_the_types_of_the_policy_table()
    {
        var policies = Created("unionsync_policies").Definition.ColumnDefinitions.ToDictionary(c => c.ColumnIdentifier.Value, TypeOf, StringComparer.Ordinal);
        var fallbacks = Created("unionsync_policy_fallbacks");
        var owners = Created("unionsync_column_owners");

        Assert.Equal(
            [("tbl", policies["tbl"]), ("fallback", policies["policy"]), ("updated_at", policies["updated_at"])],
            fallbacks.Definition.ColumnDefinitions.Select(c => (c.ColumnIdentifier.Value, TypeOf(c))));
        var ownerTypes = owners.Definition.ColumnDefinitions.Select(c => (Name: c.ColumnIdentifier.Value, Type: TypeOf(c))).ToList();
        Assert.Equal(["tbl", "col", "owner", "updated_at"], ownerTypes.Select(c => c.Name));
        Assert.Equal((policies["tbl"], policies["updated_at"]), (ownerTypes[0].Type, ownerTypes[3].Type));
        var key = Assert.IsType<UniqueConstraintDefinition>(Assert.Single(owners.Definition.TableConstraints));
        Assert.True(key.IsPrimaryKey);
        Assert.Equal(["tbl", "col"], key.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value));
        Assert.All(
            fallbacks.Definition.ColumnDefinitions.Concat(owners.Definition.ColumnDefinitions),
            c => Assert.False(c.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable));
    }

    private static CreateTableStatement Created(string table) =>
        s_provision.Value.TableStatements.Single(t => t.SchemaObjectName.BaseIdentifier.Value == table);

    /// <summary>Each column's type as written, with its collation.</summary>
    private static string TypeOf(ColumnDefinition column) =>
        TSqlParsing.TextOf(column.DataType) + (column.Collation is { } collation ? " COLLATE " + collation.Value : string.Empty);

    private static string Target(InsertStatement insert) =>
        ((NamedTableReference)insert.InsertSpecification.Target).SchemaObject.BaseIdentifier.Value;

    private static List<InsertStatement> Inserts(TSqlFragment fragment)
    {
        var collector = new StatementCollector();
        fragment.Accept(collector);
        return collector.Inserts;
    }

    private static List<IfStatement> Ifs(TSqlFragment fragment)
    {
        var collector = new StatementCollector();
        fragment.Accept(collector);
        return collector.Ifs;
    }

    private sealed class StatementCollector : TSqlFragmentVisitor
    {
        public List<InsertStatement> Inserts { get; } = [];

        public List<IfStatement> Ifs { get; } = [];

        public override void Visit(InsertStatement node) => Inserts.Add(node);

        public override void Visit(IfStatement node) => Ifs.Add(node);
    }
}
