using System.Collections.Concurrent;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Tracking;

/// <summary>
/// A synced table as the tracking tables see it: its number in <c>unionsync_tracking.tbl</c>, the column that places a row
/// in scopes, and SQL fragments that find a row's organisation. Built once per table, and once per set of added columns
/// a description carries (docs/sync-engine.md §10).
/// </summary>
internal sealed class SqliteTrackedTable
{
    private static readonly ConcurrentDictionary<string, SqliteTrackedTable> WithExtras = new(StringComparer.Ordinal);

    private SqliteTrackedTable(TableDescription table, int number, string scopeColumn, string organizationJoin, string organizationExpression)
    {
        Table = table;
        Number = number;
        ScopeColumn = scopeColumn;
        OrganizationJoin = organizationJoin;
        OrganizationExpression = organizationExpression;
        DataColumns = string.Join(", ", table.Columns.Select(c => $"d.\"{c.Name}\""));
    }

    public static SqliteTrackedTable Organizations { get; } = new(SyncTables.Organizations, 1, "parent_id", string.Empty, "d.id");

    public static SqliteTrackedTable Members { get; } = new(SyncTables.Members, 2, "organization_id", string.Empty, "d.organization_id");

    public static SqliteTrackedTable ServiceCards { get; } =
        new(SyncTables.ServiceCards, 3, "member_id", " LEFT JOIN members AS sm ON sm.id = d.member_id", "sm.organization_id");

    public static IReadOnlyList<SqliteTrackedTable> All { get; } = [Organizations, Members, ServiceCards];

    public TableDescription Table { get; }

    /// <summary>1 organizations, 2 members, 3 service_cards.</summary>
    public int Number { get; }

    /// <summary>The column whose change is a scope move: <c>parent_id</c>, <c>organization_id</c>, <c>member_id</c>.</summary>
    public string ScopeColumn { get; }

    /// <summary>A join (after data alias <c>d</c>) needed by <see cref="OrganizationExpression"/>; empty when none.</summary>
    public string OrganizationJoin { get; }

    /// <summary>The organisation that places row <c>d</c> in scopes (for an organisation: itself).</summary>
    public string OrganizationExpression { get; }

    /// <summary>Every column of alias <c>d</c> in row-value order.</summary>
    public string DataColumns { get; }

    public string Name => Table.Name;

    /// <summary>The tracked table for this description: the contract's own, or one with the description's added columns.</summary>
    public static SqliteTrackedTable For(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var contract = For(table.Name);
        return table.ExtraColumns.Count == 0
            ? contract
            : WithExtras.GetOrAdd(table.Signature, _ => new SqliteTrackedTable(table, contract.Number, contract.ScopeColumn, contract.OrganizationJoin, contract.OrganizationExpression));
    }

    public static SqliteTrackedTable For(string tableName) => tableName switch
    {
        "organizations" => Organizations,
        "members" => Members,
        "service_cards" => ServiceCards,
        _ => throw new ArgumentException($"Table {tableName} is not synced; the synced tables are organizations, members and service_cards.", nameof(tableName)),
    };

    public static SqliteTrackedTable For(long number) => number switch
    {
        1 => Organizations,
        2 => Members,
        3 => ServiceCards,
        _ => throw new InvalidOperationException($"unionsync_tracking holds table number {number}; expected 1, 2 or 3."),
    };
}
