using Microsoft.SqlServer.TransactSql.ScriptDom;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Sync.Providers;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// The hybrid-logical-clock T-SQL, checked by the SQL Server parser without a server: the triggers stamp versions from the
/// wall clock, the node's clock offset and its HLC floor; an older node gets the two columns; the receive rule only raises
/// the floor; and NEXT VALUE FOR stays where SQL Server allows it.
/// </summary>
public sealed class SqlServerHybridLogicalClockScriptTests
{
    private static readonly Lazy<List<TSqlFragment>> s_provision = new(() =>
        [.. SqlServerTrackingScripts.ProvisionBatches.Select((b, i) => TSqlParsing.ParseOrFail(b, $"provision batch {i + 1}"))]);

    [Fact]
    public void Every_trigger_stamps_local_versions_from_the_wall_clock_the_clock_offset_and_the_HLC_floor()
    {
        var triggers = new SqlServerTrackingCollector();
        foreach (var batch in s_provision.Value)
        {
            batch.Accept(triggers);
        }

        Assert.Equal(9, triggers.Triggers.Count);
        foreach (var trigger in triggers.Triggers)
        {
            var body = TSqlParsing.TextOf(trigger);
            var name = trigger.Name.BaseIdentifier.Value;
            Assert.True(
                body.Contains(
                    "@hlc = GREATEST((DATEDIFF_BIG(millisecond, '19700101', SYSUTCDATETIME()) + clock_offset_ms) * 65536, hlc_floor + 1)",
                    StringComparison.Ordinal),
                $"{name} does not read its clock as wall + offset, shifted left 16 bits, and above the HLC floor");

            // A new tracking row starts from the clock; an existing one also stays above its previous version and origin.
            Assert.Contains("@hlc + (NEXT VALUE FOR unionsync_version_seq % 65536), @node_no, @hlc + (NEXT VALUE FOR unionsync_version_seq % 65536)", body, StringComparison.Ordinal);
            Assert.Contains(
                "version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536)", body, StringComparison.Ordinal);
            Assert.Contains(
                "origin_version = GREATEST(@hlc, t.version + 1, t.origin_version + 1) + (NEXT VALUE FOR unionsync_version_seq % 65536)", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NEXT_VALUE_FOR_is_never_an_argument_of_a_function_or_a_conditional_expression()
    {
        var all = new NextValueInExpressions();
        foreach (var (name, sql) in SqlServerStatements.All)
        {
            TSqlParsing.ParseOrFail(sql, name).Accept(all);
        }

        Assert.Empty(all.Offenders);

        var wrong = new NextValueInExpressions();
        TSqlParsing.ParseOrFail("SELECT GREATEST(@hlc, NEXT VALUE FOR q), COALESCE(NEXT VALUE FOR q, 0) FROM t;", "a wrong use").Accept(wrong);
        Assert.Equal(2, wrong.Offenders.Count);
    }

    [Fact]
    public void The_node_table_has_the_clock_columns_and_an_older_node_gets_them_added()
    {
        var tables = new SqlServerTrackingCollector();
        foreach (var batch in s_provision.Value)
        {
            batch.Accept(tables);
        }

        var node = tables.TableStatements.Single(t => t.SchemaObjectName.BaseIdentifier.Value == "unionsync_node");
        var alters = new AddedColumns();
        foreach (var batch in s_provision.Value)
        {
            batch.Accept(alters);
        }

        foreach (var name in new[] { "clock_offset_ms", "hlc_floor" })
        {
            AssertBigIntNotNullDefaultZero(node.Definition.ColumnDefinitions.Single(c => c.ColumnIdentifier.Value == name));

            var (guard, table, column) = Assert.Single(alters.Added, a => a.Column.ColumnIdentifier.Value == name);
            Assert.Equal($"COL_LENGTH(N'unionsync_node', N'{name}') IS NULL", guard);
            Assert.Equal("unionsync_node", table);
            AssertBigIntNotNullDefaultZero(column);
        }
    }

    [Fact]
    public void Registering_a_node_writes_the_current_metadata_version_and_raises_an_older_one()
    {
        var sql = SqlServerTrackingScripts.RegisterNodeSql;
        TSqlParsing.ParseOrFail(sql, "RegisterNodeSql");
        var current = SyncMetadataVersion.Current.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains($"SELECT 1, node_id, node_no, {current} FROM unionsync_nodes", sql, StringComparison.Ordinal);
        Assert.Contains($"UPDATE unionsync_node SET schema_version = {current} WHERE schema_version < {current};", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_raises_the_HLC_floor_and_never_lowers_it()
    {
        var update = Assert.IsType<UpdateStatement>(
            Assert.Single(Assert.Single(((TSqlScript)TSqlParsing.ParseOrFail(SqlServerApplySql.RaiseHlcFloorSql, "RaiseHlcFloorSql")).Batches).Statements));

        Assert.Equal("unionsync_node", Assert.IsType<NamedTableReference>(update.UpdateSpecification.Target).SchemaObject.BaseIdentifier.Value);
        Assert.Equal("hlc_floor = @floor", TSqlParsing.TextOf(Assert.Single(update.UpdateSpecification.SetClauses)));
        Assert.Equal("hlc_floor < @floor", TSqlParsing.TextOf(update.UpdateSpecification.WhereClause.SearchCondition));
        Assert.Contains(SqlServerStatements.All, s => s.Key == "apply RaiseHlcFloorSql");
    }

    private static void AssertBigIntNotNullDefaultZero(ColumnDefinition column)
    {
        Assert.Equal(SqlDataTypeOption.BigInt, Assert.IsType<SqlDataTypeReference>(column.DataType).SqlDataTypeOption);
        Assert.Contains(column.Constraints, c => c is NullableConstraintDefinition { Nullable: false });
        Assert.Equal("0", TSqlParsing.TextOf(column.DefaultConstraint.Expression));
    }

    /// <summary>
    /// SQL Server refuses NEXT VALUE FOR inside CASE, CHOOSE, COALESCE, IIF, ISNULL and NULLIF (error 11741), at run time
    /// only; GREATEST is not documented either way. Versions only ever add it, so none of these may hold one.
    /// </summary>
    private sealed class NextValueInExpressions : TSqlFragmentVisitor
    {
        public List<string> Offenders { get; } = [];

        public override void Visit(FunctionCall node) => Check(node);

        public override void Visit(CaseExpression node) => Check(node);

        public override void Visit(CoalesceExpression node) => Check(node);

        public override void Visit(NullIfExpression node) => Check(node);

        public override void Visit(IIfCall node) => Check(node);

        private void Check(TSqlFragment node)
        {
            var inner = new NextValueCounter();
            node.Accept(inner);
            if (inner.Count > 0)
            {
                Offenders.Add(TSqlParsing.TextOf(node));
            }
        }
    }

    private sealed class NextValueCounter : TSqlFragmentVisitor
    {
        public int Count { get; private set; }

        public override void Visit(NextValueForExpression node) => Count++;
    }

    /// <summary>Columns added by <c>IF &lt;guard&gt; ALTER TABLE t ADD column</c>: the guard's text, the table and the column.</summary>
    private sealed class AddedColumns : TSqlFragmentVisitor
    {
        public List<(string Guard, string Table, ColumnDefinition Column)> Added { get; } = [];

        public override void Visit(IfStatement node)
        {
            if (node.ThenStatement is AlterTableAddTableElementStatement alter)
            {
                foreach (var column in alter.Definition.ColumnDefinitions)
                {
                    Added.Add((TSqlParsing.TextOf(node.Predicate), alter.SchemaObjectName.BaseIdentifier.Value, column));
                }
            }
        }
    }
}
