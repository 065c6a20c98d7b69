using UnionSync.Sync.Changes;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>The columns the engine reads from row values: a level, and the column that places a row in scopes.</summary>
internal static class Rows
{
    private static readonly int LevelOrdinal = SyncTables.Organizations.IndexOf("level");
    private static readonly int ParentOrdinal = SyncTables.Organizations.IndexOf("parent_id");
    private static readonly int OrganizationOrdinal = SyncTables.Members.IndexOf("organization_id");
    private static readonly int MemberOrdinal = SyncTables.ServiceCards.IndexOf("member_id");
    private static readonly int IdNumberOrdinal = SyncTables.Members.IndexOf("id_number");

    public const int MinLevel = 1;

    public const int MaxLevel = 4;

    public static bool IsOrganizations(TableDescription table) => ReferenceEquals(table, SyncTables.Organizations) || table.Name == SyncTables.Organizations.Name;

    public static bool IsMembers(TableDescription table) => ReferenceEquals(table, SyncTables.Members) || table.Name == SyncTables.Members.Name;

    public static bool IsCards(TableDescription table) => ReferenceEquals(table, SyncTables.ServiceCards) || table.Name == SyncTables.ServiceCards.Name;

    public static int TableIndex(TableDescription table) => IsOrganizations(table) ? 0 : IsMembers(table) ? 1 : 2;

    public static int Level(object?[]? values) => values?[LevelOrdinal] is { } level ? Convert.ToInt32(level, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public static int Level(RowChange change) => Level(change.Values);

    public static Guid? Parent(object?[]? values) => values?[ParentOrdinal] as Guid?;

    public static Guid? Organization(object?[]? values) => values?[OrganizationOrdinal] as Guid?;

    public static Guid? Member(object?[]? values) => values?[MemberOrdinal] as Guid?;

    /// <summary>The masked ID number of a member row, for messages and reports.</summary>
    public static string? MemberLabel(TableDescription table, object?[]? values) =>
        IsMembers(table) && values?[IdNumberOrdinal] is string idNumber ? Domain.Redact.IdNumber(idNumber) : null;

    public static bool IsOrganizationDelete(RowChange change) => IsOrganizations(change.Table) && change.Kind != ChangeKind.Upsert;
}
