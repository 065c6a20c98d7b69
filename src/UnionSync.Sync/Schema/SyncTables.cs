namespace UnionSync.Sync.Schema;

/// <summary>The three tables of DESIGN §3, their columns in row-value order. Their names and columns are a public contract.</summary>
public static class SyncTables
{
    public static TableDescription Organizations { get; } = new(
        "organizations",
        [
            new("id", ColumnType.Uuid, false),
            new("parent_id", ColumnType.Uuid, true),
            new("level", ColumnType.SmallInt, false),
            new("name", ColumnType.Text, false),
            new("credit_code", ColumnType.FixedText, true, 18),
            new("district_code", ColumnType.Text, false),
            new("status", ColumnType.Text, false),
            new("created_at", ColumnType.Timestamp, false),
            new("updated_at", ColumnType.Timestamp, false),
        ]);

    public static TableDescription Members { get; } = new(
        "members",
        [
            new("id", ColumnType.Uuid, false),
            new("organization_id", ColumnType.Uuid, false),
            new("name", ColumnType.Text, false),
            new("id_number", ColumnType.FixedText, false, 18),
            new("phone", ColumnType.Text, true),
            new("employer_code", ColumnType.FixedText, true, 18),
            new("join_date", ColumnType.Date, false),
            new("status", ColumnType.Text, false),
            new("migrant_worker", ColumnType.Boolean, false),
            new("skill_level", ColumnType.SmallInt, false),
            new("created_at", ColumnType.Timestamp, false),
            new("updated_at", ColumnType.Timestamp, false),
        ]);

    public static TableDescription ServiceCards { get; } = new(
        "service_cards",
        [
            new("id", ColumnType.Uuid, false),
            new("member_id", ColumnType.Uuid, false),
            new("card_number", ColumnType.Text, false),
            new("bank", ColumnType.Text, false),
            new("issue_date", ColumnType.Date, false),
            new("expiry_date", ColumnType.Date, false),
            new("status", ColumnType.Text, false),
            new("created_at", ColumnType.Timestamp, false),
            new("updated_at", ColumnType.Timestamp, false),
        ]);

    /// <summary>Parents before children: the order of inserts; deletes go in reverse.</summary>
    public static IReadOnlyList<TableDescription> All { get; } = [Organizations, Members, ServiceCards];

    /// <summary>The synced table of that name.</summary>
    /// <exception cref="Errors.SyncConfigurationException">no synced table has that name.</exception>
    public static TableDescription Named(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal))
        ?? throw new Errors.SyncConfigurationException($"'{name}' is not a synced table; use one of {string.Join(", ", All.Select(t => t.Name))}.");
}
