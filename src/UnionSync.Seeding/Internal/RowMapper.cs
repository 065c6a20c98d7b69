using UnionSync.Domain.Model;
using UnionSync.Sync.Schema;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Domain records to row values in <see cref="SyncTables"/> column order, typed as <see cref="ColumnType"/> says.
/// Hand-written: a record-to-array fill is not a mapping Mapperly generates.
/// </summary>
internal static class RowMapper
{
    public static void Fill(Organization o, object?[] row)
    {
        row[0] = o.Id;
        row[1] = o.ParentId;
        row[2] = (short)o.Level;
        row[3] = o.Name;
        row[4] = o.CreditCode;
        row[5] = o.DistrictCode;
        row[6] = StatusText.ToText(o.Status);
        row[7] = o.CreatedAt;
        row[8] = o.UpdatedAt;
    }

    public static void Fill(Member m, object?[] row)
    {
        row[0] = m.Id;
        row[1] = m.OrganizationId;
        row[2] = m.Name;
        row[3] = m.IdNumber;
        row[4] = m.Phone;
        row[5] = m.EmployerCode;
        row[6] = m.JoinDate;
        row[7] = StatusText.ToText(m.Status);
        row[8] = m.MigrantWorker;
        row[9] = (short)m.SkillLevel;
        row[10] = m.CreatedAt;
        row[11] = m.UpdatedAt;
    }

    public static void Fill(ServiceCard c, object?[] row)
    {
        row[0] = c.Id;
        row[1] = c.MemberId;
        row[2] = c.CardNumber;
        row[3] = c.Bank;
        row[4] = c.IssueDate;
        row[5] = c.ExpiryDate;
        row[6] = StatusText.ToText(c.Status);
        row[7] = c.CreatedAt;
        row[8] = c.UpdatedAt;
    }

    /// <summary>The rows of <paramref name="table"/>, filled into <paramref name="buffer"/> (one array reused) or fresh arrays when it is null.</summary>
    public static IEnumerable<object?[]> Rows(FederationStreams streams, TableDescription table, object?[]? buffer)
    {
        return table.Name switch
        {
            "organizations" => Map(streams.Organizations(), table, buffer, Fill),
            "members" => Map(streams.Members(), table, buffer, Fill),
            "service_cards" => Map(streams.ServiceCards(), table, buffer, Fill),
            _ => throw new ArgumentException($"The generator makes rows of organizations, members and service_cards, not of {table.Name}.", nameof(table)),
        };
    }

    private static IEnumerable<object?[]> Map<T>(IEnumerable<T> records, TableDescription table, object?[]? buffer, Action<T, object?[]> fill)
    {
        foreach (var record in records)
        {
            var row = buffer ?? new object?[table.Columns.Count];
            fill(record, row);
            yield return row;
        }
    }
}
