using Microsoft.SqlServer.TransactSql.ScriptDom;
using UnionSync.Providers.SqlServer;
using UnionSync.Providers.SqlServer.Apply;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Providers.SqlServer.Reading;
using UnionSync.Providers.SqlServer.Tracking;
using UnionSync.Providers.Tests.Conformance;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;
using ColumnType = UnionSync.Sync.Schema.ColumnType;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// A description with added columns (docs/sync-engine.md §10) gets SQL of its own: every statement parses as T-SQL, carries
/// the added columns, and the backfill writes them only where they are NULL. No server needed.
/// </summary>
public sealed class SqlServerAddedColumnStatementTests
{
    private static readonly TableDescription s_members = AddedColumns.Members;

    private static readonly TableDescription s_organizations =
        SyncTables.Organizations.WithExtraColumns([new("region_code", ColumnType.Text, true)]);

    private static readonly TableDescription s_cards =
        SyncTables.ServiceCards.WithExtraColumns([new("limit_fen", ColumnType.BigInt, true), new("note", ColumnType.Text, true)]);

    public static TheoryData<string> StatementNames() =>
        [.. new[] { s_members, s_organizations, s_cards }.SelectMany(SqlServerStatements.TableStatements).Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Statement_for_a_description_with_added_columns_parses(string statement)
    {
        var sql = new[] { s_members, s_organizations, s_cards }.SelectMany(SqlServerStatements.TableStatements).Single(s => s.Key == statement).Value;

        TSqlParsing.ParseOrFail(sql, statement);
    }

    [Fact]
    public void Each_statement_of_the_description_names_the_added_columns_and_the_contracts_do_not()
    {
        // Truncating the stage and dropping base rows (contract columns only) name no column.
        var withExtras = SqlServerStatements.TableStatements(s_members)
            .Where(s => !s.Key.StartsWith("apply TruncateStageSql", StringComparison.Ordinal) && !s.Key.StartsWith("apply DropBaseRowsSql", StringComparison.Ordinal))
            .ToList();
        var contract = SqlServerStatements.TableStatements(SyncTables.Members).ToList();

        Assert.All(withExtras, s => Assert.Contains("[wechat_id]", s.Value, StringComparison.Ordinal));
        Assert.All(withExtras, s => Assert.Contains("[points]", s.Value, StringComparison.Ordinal));
        Assert.All(contract, s => Assert.DoesNotContain("wechat_id", s.Value, StringComparison.Ordinal));
        Assert.DoesNotContain(contract, s => s.Key.StartsWith("apply FillSql", StringComparison.Ordinal));
        Assert.Equal(contract.Count + 1, SqlServerStatements.TableStatements(s_members).Count());
    }

    [Fact]
    public void A_description_with_added_columns_stages_in_a_temp_table_of_its_own_built_once()
    {
        var tracked = SqlServerTrackedTable.For(s_members);

        Assert.NotSame(SqlServerTrackedTable.Members, tracked);
        Assert.Same(tracked, SqlServerTrackedTable.For(SyncTables.Members.WithExtraColumns([.. s_members.ExtraColumns])));
        Assert.Same(SqlServerTrackedTable.Members, SqlServerTrackedTable.For(SyncTables.Members));
        Assert.NotEqual(SqlServerApplySql.For(SqlServerTrackedTable.Members).StageTable, SqlServerApplySql.For(tracked).StageTable);
        Assert.Same(SqlServerApplySql.For(tracked), SqlServerApplySql.For(tracked));
        Assert.Same(SqlServerChangeSql.For(tracked), SqlServerChangeSql.For(tracked));
    }

    [Fact]
    public void The_backfill_sets_each_added_column_only_where_it_is_null_and_no_contract_column()
    {
        var fill = SqlServerApplySql.For(SqlServerTrackedTable.For(s_members)).FillSql!;

        var update = Assert.IsType<UpdateStatement>(Assert.Single(Assert.Single(((TSqlScript)TSqlParsing.ParseOrFail(fill, "FillSql")).Batches).Statements));
        var set = update.UpdateSpecification.SetClauses.Cast<AssignmentSetClause>().Select(c => c.Column.MultiPartIdentifier.Identifiers[^1].Value).ToList();
        Assert.Equal(["points", "wechat_id"], set);
        Assert.Contains("CASE WHEN t.[wechat_id] IS NULL THEN s.[wechat_id] ELSE t.[wechat_id] END", fill, StringComparison.Ordinal);
        Assert.DoesNotContain("unionsync_tracking", fill, StringComparison.Ordinal);
        Assert.Null(SqlServerApplySql.For(SqlServerTrackedTable.Members).FillSql);
    }

    [Fact]
    public void The_merge_writes_the_descriptions_columns_only()
    {
        var contract = SqlServerApplySql.For(SqlServerTrackedTable.Members).ApplySql;
        var extras = SqlServerApplySql.For(SqlServerTrackedTable.For(s_members)).ApplySql;

        Assert.DoesNotContain("wechat_id", contract, StringComparison.Ordinal);
        Assert.Contains("t.[wechat_id] = s.[wechat_id]", extras, StringComparison.Ordinal);
        Assert.Contains("t.[points] = s.[points]", extras, StringComparison.Ordinal);
    }

    [Fact]
    public void Staged_rows_and_bulk_rows_carry_the_added_columns_as_long_and_string()
    {
        var row = AddedColumns.Member(SampleRows.Members()[0], points: 9_000_000_000L, wechatId: "wx_zhang");
        var change = new RowChange { Table = s_members, Key = SampleRows.MemberA, Kind = ChangeKind.Upsert, Values = row };

        using var staged = SqlServerStagingTable.Build(s_members, [change]);
        var converted = new SqlServerRowConverter(s_members).Convert(row);
        using var reader = new SqlServerChannelDataReader(s_members, System.Threading.Channels.Channel.CreateUnbounded<object?[]>().Reader);

        Assert.Equal(typeof(long), staged.Columns["points"]!.DataType);
        Assert.Equal(typeof(string), staged.Columns["wechat_id"]!.DataType);
        Assert.Equal([(object)9_000_000_000L, "wx_zhang"], staged.Rows[0].ItemArray[^6..^4]);
        Assert.Equal([(object)9_000_000_000L, "wx_zhang"], converted[^2..]);
        Assert.Equal("bigint", reader.GetDataTypeName(s_members.IndexOf("points")));
        Assert.Equal(typeof(long), reader.GetFieldType(s_members.IndexOf("points")));
    }

    [Fact]
    public void An_int_in_an_added_integer_column_is_refused_naming_the_column()
    {
        var row = AddedColumns.Member(SampleRows.Members()[0], points: null, wechatId: null);
        row[s_members.IndexOf("points")] = 5;

        var error = Assert.Throws<ArgumentException>(() => new SqlServerRowConverter(s_members).Convert(row));

        Assert.Contains("members.points", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nvarchar", ColumnType.Text)]
    [InlineData("varchar", ColumnType.Text)]
    [InlineData("nchar", ColumnType.Text)]
    [InlineData("char", ColumnType.Text)]
    [InlineData("smallint", ColumnType.BigInt)]
    [InlineData("int", ColumnType.BigInt)]
    [InlineData("bigint", ColumnType.BigInt)]
    [InlineData("xml", null)]
    [InlineData("decimal", null)]
    [InlineData("tinyint", null)]
    [InlineData("uniqueidentifier", null)]
    public void Catalog_types_map_to_the_types_added_columns_sync_as(string native, ColumnType? expected)
    {
        Assert.Equal(expected, SqlServerChangeReader.SyncType(native));
    }
}
