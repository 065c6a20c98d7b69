using Microsoft.SqlServer.TransactSql.ScriptDom;
using UnionSync.Providers.SqlServer;
using UnionSync.Sync.Schema;
using ColumnType = UnionSync.Sync.Schema.ColumnType;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>
/// The parsed migration scripts create DESIGN §3's tables with every contract column, the intended SQL Server types,
/// nullability, keys, checks and indexes: the schema is checked against the contract without a server.
/// </summary>
public sealed class SqlServerSchemaContractTests
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

    public static TheoryData<string> TableNames() => [.. SyncTables.All.Select(t => t.Name)];

    [Fact]
    public void The_three_contract_tables_are_created()
    {
        Assert.Equal(["members", "organizations", "service_cards"], s_schema.Value.Tables.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TableNames))]
    public void Every_contract_column_has_its_SQL_Server_type_and_nullability(string tableName)
    {
        var contract = SyncTables.All.Single(t => t.Name == tableName);
        var columns = Columns(tableName);

        Assert.Equal(contract.Columns.Select(c => c.Name), columns.Keys);
        foreach (var expected in contract.Columns)
        {
            var column = columns[expected.Name];
            var type = Assert.IsType<SqlDataTypeReference>(column.DataType, exactMatch: false);
            var (option, parameters) = Expected(expected);
            Assert.True(option == type.SqlDataTypeOption, $"{tableName}.{expected.Name} is {type.SqlDataTypeOption}, expected {option}.");
            if (parameters is null)
            {
                Assert.Single(type.Parameters);
            }
            else
            {
                Assert.Equal(parameters, type.Parameters.Select(p => p.Value));
            }

            Assert.True(expected.Nullable == IsNullable(column), $"{tableName}.{expected.Name} nullability differs from the contract.");
        }
    }

    [Fact]
    public void Identity_number_is_char_18_and_ids_are_uniqueidentifier()
    {
        var idNumber = Assert.IsType<SqlDataTypeReference>(Columns("members")["id_number"].DataType, exactMatch: false);
        Assert.Equal(SqlDataTypeOption.Char, idNumber.SqlDataTypeOption);
        Assert.Equal("18", Assert.Single(idNumber.Parameters).Value);

        foreach (var table in SyncTables.All)
        {
            foreach (var column in table.Columns.Where(c => c.Type == ColumnType.Uuid))
            {
                var type = Assert.IsType<SqlDataTypeReference>(Columns(table.Name)[column.Name].DataType, exactMatch: false);
                Assert.Equal(SqlDataTypeOption.UniqueIdentifier, type.SqlDataTypeOption);
            }
        }
    }

    [Theory]
    [InlineData("organizations", "status")]
    [InlineData("organizations", "credit_code")]
    [InlineData("members", "status")]
    [InlineData("members", "id_number")]
    [InlineData("members", "employer_code")]
    [InlineData("service_cards", "status")]
    [InlineData("service_cards", "card_number")]
    public void Status_words_and_codes_compare_case_sensitively(string table, string column)
    {
        Assert.Equal("Latin1_General_100_BIN2", Columns(table)[column].Collation?.Value);
    }

    [Theory]
    [MemberData(nameof(TableNames))]
    public void Primary_key_is_id_and_nonclustered_because_v7_uuids_do_not_sort_sequentially_in_SQL_Server(string tableName)
    {
        var primaryKey = Assert.Single(Constraints<UniqueConstraintDefinition>(tableName), c => c.IsPrimaryKey);

        Assert.Equal(["id"], primaryKey.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers.Last().Value));
        Assert.False(primaryKey.Clustered);
        var clustered = Assert.Single(s_schema.Value.Indexes, i => Table(i) == tableName && i.Clustered == true);
        Assert.Equal(["created_at"], IndexColumns(clustered));
    }

    [Theory]
    [InlineData("organizations", "parent_id", "organizations")]
    [InlineData("members", "organization_id", "organizations")]
    [InlineData("service_cards", "member_id", "members")]
    public void Foreign_key_references_the_parent_id(string table, string column, string referenced)
    {
        Assert.Contains(
            Constraints<ForeignKeyConstraintDefinition>(table),
            fk => fk.Columns.Select(c => c.Value).SequenceEqual([column])
                  && fk.ReferenceTableName.BaseIdentifier.Value == referenced
                  && fk.ReferencedTableColumns.Select(c => c.Value).SequenceEqual(["id"]));
    }

    [Theory]
    [InlineData("organizations", "level", new[] { "1", "4" })]
    [InlineData("organizations", "status", new[] { "'active'", "'dissolved'" })]
    [InlineData("members", "status", new[] { "'active'", "'transferred'", "'left'" })]
    [InlineData("members", "skill_level", new[] { "0", "5" })]
    [InlineData("service_cards", "status", new[] { "'active'", "'lost'", "'cancelled'" })]
    [InlineData("service_cards", "expiry_date > issue_date", new string[0])]
    public void Check_constraint_bounds_the_column(string table, string subject, string[] words)
    {
        var checks = Constraints<CheckConstraintDefinition>(table).Select(c => TSqlParsing.TextOf(c.CheckCondition)).ToList();

        Assert.Contains(checks, text => text.Contains(subject, StringComparison.Ordinal) && words.All(w => text.Contains(w, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("organizations", "parent_id", false)]
    [InlineData("members", "organization_id", false)]
    [InlineData("members", "id_number", true)]
    [InlineData("members", "name", false)]
    [InlineData("service_cards", "member_id", false)]
    [InlineData("service_cards", "card_number", true)]
    public void Index_exists_on_the_column(string table, string column, bool unique)
    {
        Assert.Contains(
            s_schema.Value.Indexes,
            i => Table(i) == table && IndexColumns(i).SequenceEqual([column]) && i.Unique == unique && i.Clustered != true);
    }

    // nvarchar's length is the script's choice, not the contract's: null means "one length parameter, any value".
    private static (SqlDataTypeOption Option, string[]? Parameters) Expected(ColumnDescription column) => column.Type switch
    {
        ColumnType.Uuid => (SqlDataTypeOption.UniqueIdentifier, []),
        ColumnType.Text => (SqlDataTypeOption.NVarChar, null),
        ColumnType.FixedText => (SqlDataTypeOption.Char, [column.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
        ColumnType.SmallInt => (SqlDataTypeOption.SmallInt, []),
        ColumnType.Boolean => (SqlDataTypeOption.Bit, []),
        ColumnType.Date => (SqlDataTypeOption.Date, []),
        ColumnType.Timestamp => (SqlDataTypeOption.DateTime2, ["6"]),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static Dictionary<string, ColumnDefinition> Columns(string table)
    {
        Assert.True(s_schema.Value.Tables.TryGetValue(table, out var statement), $"No CREATE TABLE {table} in the migrations.");
        return statement.Definition.ColumnDefinitions.ToDictionary(c => c.ColumnIdentifier.Value, StringComparer.Ordinal);
    }

    private static bool IsNullable(ColumnDefinition column) =>
        column.Constraints.OfType<NullableConstraintDefinition>().SingleOrDefault()?.Nullable
        ?? throw new InvalidOperationException($"Column {column.ColumnIdentifier.Value} states neither NULL nor NOT NULL.");

    private static IEnumerable<T> Constraints<T>(string table)
        where T : ConstraintDefinition =>
        s_schema.Value.Tables[table].Definition.TableConstraints.OfType<T>();

    private static string Table(CreateIndexStatement index) => index.OnName.BaseIdentifier.Value;

    private static IEnumerable<string> IndexColumns(CreateIndexStatement index) =>
        index.Columns.Select(c => c.Column.MultiPartIdentifier.Identifiers.Last().Value);
}
