using System.Collections.Concurrent;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Tracking;

/// <summary>
/// What the tracking SQL needs to know of one synced table: its number in <c>unionsync_tracking.tbl</c>, its quoted
/// column list and how a row (alias <c>r</c>) is placed in an organisation's subtree (CTE <c>scope</c>). Built once per
/// table, and once per set of added columns a description carries (docs/sync-engine.md §10).
/// </summary>
internal sealed class PostgresTrackedTable
{
    private static readonly ConcurrentDictionary<string, PostgresTrackedTable> WithExtras = new(StringComparer.Ordinal);
    private static int s_variants;

    private PostgresTrackedTable(TableDescription table, short number, string scopeCondition, string localScopeOrg, string scopeColumn, int variant)
    {
        Table = table;
        Number = number;
        ScopeCondition = scopeCondition;
        LocalScopeOrg = localScopeOrg;
        ScopeColumn = scopeColumn;
        ScopedOrganization = number == 1 ? "r.id" : localScopeOrg;
        LargeScopeCondition = $"({ScopedOrganization} IN (SELECT id FROM scope)) IS TRUE";
        StageName = variant == 0 ? $"unionsync_stage_{table.Name}" : $"unionsync_stage_{table.Name}_{variant}";
        BaseTable = $"unionsync_base_{table.Name}";
        Columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        RowColumns = string.Join(", ", table.Columns.Select(c => $"r.\"{c.Name}\""));
        BulkCopySql = $"COPY \"{table.Name}\" ({Columns}) FROM STDIN (FORMAT BINARY)";
    }

    public static PostgresTrackedTable Organizations { get; } = new(
        SyncTables.Organizations, 1, "r.id IN (SELECT id FROM scope)", "r.parent_id", "parent_id", 0);

    public static PostgresTrackedTable Members { get; } = new(
        SyncTables.Members, 2, "r.organization_id IN (SELECT id FROM scope)", "r.organization_id", "organization_id", 0);

    public static PostgresTrackedTable ServiceCards { get; } = new(
        SyncTables.ServiceCards,
        3,
        "EXISTS (SELECT 1 FROM members sm WHERE sm.id = r.member_id AND sm.organization_id IN (SELECT id FROM scope))",
        "(SELECT sm.organization_id FROM members sm WHERE sm.id = r.member_id)",
        "member_id",
        0);

    /// <summary>The contract's tables, parents first.</summary>
    public static IReadOnlyList<PostgresTrackedTable> All { get; } = [Organizations, Members, ServiceCards];

    /// <summary>The description: the contract's columns, then any added columns.</summary>
    public TableDescription Table { get; }

    public string Name => Table.Name;

    public short Number { get; }

    /// <summary>True when the row <c>r</c> lies in the subtree held by the CTE <c>scope</c>.</summary>
    public string ScopeCondition { get; }

    /// <summary>
    /// <see cref="ScopeCondition"/> for a scope that holds most of the rows: the same test, written so that it cannot be
    /// turned into a join (a hashed subplan filtering a scan in key order). Joined, the planner goes from the scope's
    /// organisations to their rows and sorts them all by key before the first one leaves: at a city-wide scope, 1.2 s
    /// for a million members and 1.7 s for their cards, during which the reader waits.
    /// </summary>
    public string LargeScopeCondition { get; }

    /// <summary>The organisation that places the row <c>r</c> in scopes, as this database holds it.</summary>
    public string LocalScopeOrg { get; }

    /// <summary>The organisation that <see cref="ScopeCondition"/> looks up in <c>scope</c>: an organisation's own key, else <see cref="LocalScopeOrg"/>.</summary>
    public string ScopedOrganization { get; }

    /// <summary>The column whose change is a scope move.</summary>
    public string ScopeColumn { get; }

    /// <summary>The staging temp table of the apply path: one per table and set of added columns, as their shapes differ.</summary>
    public string StageName { get; }

    /// <summary>The table's base rows (docs/sync-engine.md §11): the contract's columns of the rows as last agreed with the parent.</summary>
    public string BaseTable { get; }

    /// <summary>The quoted columns in row-value order.</summary>
    public string Columns { get; }

    /// <summary>The quoted columns of alias <c>r</c> in row-value order.</summary>
    public string RowColumns { get; }

    /// <summary>The bulk path's binary COPY straight into the table, of <see cref="Columns"/>.</summary>
    public string BulkCopySql { get; }

    /// <summary>The tracked table for this description: the contract's own, or one with the description's added columns.</summary>
    public static PostgresTrackedTable For(TableDescription table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var contract = For(table.Name);
        return table.ExtraColumns.Count == 0
            ? contract
            : WithExtras.GetOrAdd(
                table.Signature,
                static (_, pair) => new PostgresTrackedTable(
                    pair.Table, pair.Contract.Number, pair.Contract.ScopeCondition, pair.Contract.LocalScopeOrg, pair.Contract.ScopeColumn,
                    Interlocked.Increment(ref s_variants)),
                (Table: table, Contract: contract));
    }

    /// <summary>The contract's tracked table of that name (no added columns).</summary>
    public static PostgresTrackedTable For(string tableName) => tableName switch
    {
        "organizations" => Organizations,
        "members" => Members,
        "service_cards" => ServiceCards,
        _ => throw new ArgumentException($"Table {tableName} is not synced; the synced tables are organizations, members and service_cards.", nameof(tableName)),
    };

    public static PostgresTrackedTable For(short number) => number switch
    {
        1 => Organizations,
        2 => Members,
        3 => ServiceCards,
        _ => throw new InvalidOperationException($"unionsync_tracking holds table number {number}; expected 1, 2 or 3."),
    };
}
