using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Walks a parsed script and keeps what it creates: tables (with their columns and constraints) and indexes.</summary>
internal sealed class SqlServerSchemaCollector : TSqlFragmentVisitor
{
    public Dictionary<string, CreateTableStatement> Tables { get; } = new(StringComparer.Ordinal);

    public List<CreateIndexStatement> Indexes { get; } = [];

    public override void Visit(CreateTableStatement node)
    {
        Tables.Add(node.SchemaObjectName.BaseIdentifier.Value, node);
    }

    public override void Visit(CreateIndexStatement node)
    {
        Indexes.Add(node);
    }

    public static SqlServerSchemaCollector Collect(TSqlFragment fragment)
    {
        var collector = new SqlServerSchemaCollector();
        fragment.Accept(collector);
        return collector;
    }
}
