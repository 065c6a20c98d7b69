using System.Collections.Concurrent;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Tracking;

/// <summary>
/// A synced table as tracking sees it: its number in <c>unionsync_tracking.tbl</c>, and the expression (over the row
/// <c>t</c>, with <see cref="PositionJoin"/>) of the organisation that places a row in scopes: an organisation is in a
/// scope by its own id, a member by its organisation, a card by its member's organisation. Built once per table, and
/// once per set of added columns a description carries (docs/sync-engine.md §10).
/// </summary>
internal sealed class SqlServerTrackedTable
{
    private static readonly ConcurrentDictionary<string, SqlServerTrackedTable> s_withExtras = new(StringComparer.Ordinal);
    private static int s_variants;

    private SqlServerTrackedTable(TableDescription table, byte number, string position, string positionJoin, int variant)
    {
        Table = table;
        Number = number;
        Position = position;
        PositionJoin = positionJoin;
        QuotedName = SqlServerStatements.QuoteIdentifier(table.Name);
        StageTable = variant == 0 ? $"#unionsync_stage_{table.Name}" : $"#unionsync_stage_{table.Name}_{variant}";
        BaseTable = $"unionsync_base_{table.Name}";
    }

    public static SqlServerTrackedTable Organizations { get; } = new(SyncTables.Organizations, 1, "t.id", string.Empty, 0);

    public static SqlServerTrackedTable Members { get; } = new(SyncTables.Members, 2, "t.organization_id", string.Empty, 0);

    public static SqlServerTrackedTable ServiceCards { get; } =
        new(SyncTables.ServiceCards, 3, "m.organization_id", "LEFT JOIN members AS m ON m.id = t.member_id", 0);

    /// <summary>The contract's tables, parents first.</summary>
    public static IReadOnlyList<SqlServerTrackedTable> All { get; } = [Organizations, Members, ServiceCards];

    /// <summary>The description: the contract's columns, then any added columns.</summary>
    public TableDescription Table { get; }

    public byte Number { get; }

    public string Position { get; }

    public string PositionJoin { get; }

    public string QuotedName { get; }

    /// <summary>The apply path's staging temp table: one per table and set of added columns, as their shapes differ.</summary>
    public string StageTable { get; }

    /// <summary>The table's base rows (docs/sync-engine.md §11): the contract's columns of the rows as last agreed with the parent.</summary>
    public string BaseTable { get; }

    /// <summary>The tracked table for this description: the contract's own, or one with the description's added columns.</summary>
    public static SqlServerTrackedTable For(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var contract = For(table.Name);
        return table.ExtraColumns.Count == 0
            ? contract
            : s_withExtras.GetOrAdd(
                table.Signature,
                static (_, pair) => new SqlServerTrackedTable(
                    pair.Table, pair.Contract.Number, pair.Contract.Position, pair.Contract.PositionJoin, Interlocked.Increment(ref s_variants)),
                (Table: table, Contract: contract));
    }

    /// <summary>The contract's tracked table of that name (no added columns).</summary>
    public static SqlServerTrackedTable For(string tableName) =>
        All.FirstOrDefault(t => string.Equals(t.Table.Name, tableName, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Table {tableName} is not synced; the synced tables are organizations, members and service_cards.", nameof(tableName));

    public static SqlServerTrackedTable For(byte number) =>
        number is >= 1 and <= 3
            ? All[number - 1]
            : throw new InvalidOperationException($"unionsync_tracking or unionsync_moves holds tbl = {number}; expected 1, 2 or 3.");

    public override string ToString() => Table.Name;
}
