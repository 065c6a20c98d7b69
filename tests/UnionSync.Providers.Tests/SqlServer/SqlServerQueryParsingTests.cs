using Microsoft.Data.SqlClient;
using UnionSync.Providers.SqlServer.Queries;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>The hub's read-model statements, as the SQL Server dialect builds them, are valid T-SQL for SQL Server 2022.</summary>
public sealed class SqlServerQueryParsingTests
{
    private static readonly SqlServerFederationQueries Queries =
        new(SqlClientFactory.Instance.CreateDataSource("Server=127.0.0.1;Database=unionsync_parse_only;TrustServerCertificate=true"));

    public static TheoryData<string> StatementNames() => [.. Queries.StatementTexts.Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Read_model_statement_parses(string statement)
    {
        var sql = Queries.StatementTexts.Single(s => s.Key == statement).Value;

        TSqlParsing.ParseOrFail(sql, $"read model {statement}");
    }

    [Fact]
    public void Read_model_uses_TOP_and_no_RECURSIVE_keyword_or_LIMIT()
    {
        var all = string.Join('\n', Queries.StatementTexts.Select(s => s.Value));

        Assert.DoesNotContain("RECURSIVE", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("LIMIT @limit", all, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("TOP (@limit)", all, StringComparison.Ordinal);
    }
}
