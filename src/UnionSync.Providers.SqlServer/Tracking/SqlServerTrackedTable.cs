using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Tracking;

/// <summary>
/// A synced table as tracking sees it: its number in <c>unionsync_tracking.tbl</c>, and the expression (over the row
/// <c>t</c>, with <see cref="PositionJoin"/>) of the organisation that places a row in scopes: an organisation is in a
/// scope by its own id, a member by its organisation, a card by its member's organisation.
/// </summary>
internal sealed class SqlServerTrackedTable
{
    private SqlServerTrackedTable(TableDescription table, byte number, string position, string positionJoin)
    {
        Table = table;
        Number = number;
        Position = position;
        PositionJoin = positionJoin;
        QuotedName = SqlServerStatements.QuoteIdentifier(table.Name);
    }

    public static SqlServerTrackedTable Organizations { get; } = new(SyncTables.Organizations, 1, "t.id", string.Empty);

    public static SqlServerTrackedTable Members { get; } = new(SyncTables.Members, 2, "t.organization_id", string.Empty);

    public static SqlServerTrackedTable ServiceCards { get; } =
        new(SyncTables.ServiceCards, 3, "m.organization_id", "LEFT JOIN members AS m ON m.id = t.member_id");

    /// <summary>Parents first.</summary>
    public static IReadOnlyList<SqlServerTrackedTable> All { get; } = [Organizations, Members, ServiceCards];

    public TableDescription Table { get; }

    public byte Number { get; }

    public string Position { get; }

    public string PositionJoin { get; }

    public string QuotedName { get; }

    public static SqlServerTrackedTable For(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return For(table.Name);
    }

    public static SqlServerTrackedTable For(string tableName) =>
        All.FirstOrDefault(t => string.Equals(t.Table.Name, tableName, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Table {tableName} is not synced; the synced tables are organizations, members and service_cards.", nameof(tableName));

    public static SqlServerTrackedTable For(byte number) =>
        number is >= 1 and <= 3
            ? All[number - 1]
            : throw new InvalidOperationException($"unionsync_tracking or unionsync_moves holds tbl = {number}; expected 1, 2 or 3.");

    public override string ToString() => Table.Name;
}
