using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>Walks parsed T-SQL and keeps what change tracking depends on: triggers, created and dropped objects, global variables, functions, sequence uses.</summary>
internal sealed class SqlServerTrackingCollector : TSqlFragmentVisitor
{
    public List<CreateOrAlterTriggerStatement> Triggers { get; } = [];

    public List<string> CreatedTables { get; } = [];

    public List<CreateTableStatement> TableStatements { get; } = [];

    public List<CreateIndexStatement> Indexes { get; } = [];

    public List<string> CreatedSequences { get; } = [];

    public List<string> DroppedTriggers { get; } = [];

    public List<string> DroppedTables { get; } = [];

    public List<string> DroppedSequences { get; } = [];

    public List<string> GlobalVariables { get; } = [];

    public List<string> Functions { get; } = [];

    /// <summary>NEXT VALUE FOR inside a MERGE, which SQL Server refuses at run time (error 11700-range), not at parse time.</summary>
    public int NextValueInMerge { get; private set; }

    public static SqlServerTrackingCollector Collect(IEnumerable<(string Name, string Sql)> statements)
    {
        var collector = new SqlServerTrackingCollector();
        foreach (var (name, sql) in statements)
        {
            TSqlParsing.ParseOrFail(sql, name).Accept(collector);
        }

        return collector;
    }

    public override void Visit(CreateOrAlterTriggerStatement node) => Triggers.Add(node);

    public override void Visit(CreateTableStatement node)
    {
        CreatedTables.Add(node.SchemaObjectName.BaseIdentifier.Value);
        TableStatements.Add(node);
    }

    public override void Visit(CreateIndexStatement node) => Indexes.Add(node);

    public override void Visit(CreateSequenceStatement node) => CreatedSequences.Add(node.Name.BaseIdentifier.Value);

    public override void Visit(DropTriggerStatement node) => DroppedTriggers.AddRange(node.Objects.Select(o => o.BaseIdentifier.Value));

    public override void Visit(DropTableStatement node) => DroppedTables.AddRange(node.Objects.Select(o => o.BaseIdentifier.Value));

    public override void Visit(DropSequenceStatement node) => DroppedSequences.AddRange(node.Objects.Select(o => o.BaseIdentifier.Value));

    public override void Visit(GlobalVariableExpression node) => GlobalVariables.Add(node.Name);

    public override void Visit(FunctionCall node) => Functions.Add(node.FunctionName.Value);

    public override void Visit(MergeStatement node)
    {
        var inner = new NextValueCounter();
        node.Accept(inner);
        NextValueInMerge += inner.Count;
    }

    private sealed class NextValueCounter : TSqlFragmentVisitor
    {
        public int Count { get; private set; }

        public override void Visit(NextValueForExpression node) => Count++;
    }
}
