using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Parses T-SQL as SQL Server 2022 does (TSql160Parser, QUOTED_IDENTIFIER on) and fails with every parse error's place.</summary>
internal static class TSqlParsing
{
    public static TSqlFragment ParseOrFail(string sql, string what)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        if (errors.Count > 0)
        {
            var lines = errors.Select(e => $"  line {e.Line}, column {e.Column}: error {e.Number}: {e.Message}");
            Assert.Fail($"{what} does not parse as T-SQL (TSql160Parser):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}" +
                        $"{Environment.NewLine}--- text ---{Environment.NewLine}{sql}");
        }

        return fragment;
    }

    /// <summary>The source text of a fragment, from its tokens.</summary>
    public static string TextOf(TSqlFragment fragment) =>
        string.Concat(fragment.ScriptTokenStream.Skip(fragment.FirstTokenIndex).Take(fragment.LastTokenIndex - fragment.FirstTokenIndex + 1).Select(t => t.Text));
}
