using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;

namespace UnionSync.Domain.Rules;

/// <summary>The rules of an <c>organizations</c> row (DESIGN §3): the 4-level tree, codes, name, timestamps.</summary>
public static class OrganizationRules
{
    public const int MaxNameLength = 200;

    private const string Table = "organizations";

    /// <summary>
    /// The rules one row can check alone: a level of 1-4, <c>parent_id</c> null exactly for the city federation and never
    /// the row's own id, a non-empty name, a 6-digit <c>district_code</c> of a known province, <c>credit_code</c> null or a
    /// valid upper-case GB 32100 code, a defined status and UTC timestamps with <c>updated_at &gt;= created_at</c>.
    /// </summary>
    public static ValidationResult Validate(Organization organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var violations = new ViolationCollector();
        Check(violations, organization);
        return violations.ToResult();
    }

    /// <summary>As <see cref="Validate(Organization)"/>, and <paramref name="parent"/> is the row that <c>parent_id</c>
    /// names, one level above.</summary>
    public static ValidationResult Validate(Organization organization, Organization parent)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(parent);
        var violations = new ViolationCollector();
        Check(violations, organization);
        if (organization.Level == OrganizationLevel.City)
        {
            violations.Add("parent_id", $"{Table}.parent_id: organisation {organization.Id} is the city federation (level 1), which has no parent; {parent.Id} was given as one.");
        }
        else if (organization.ParentId != parent.Id)
        {
            violations.Add("parent_id", $"{Table}.parent_id of organisation {organization.Id} is {organization.ParentId?.ToString() ?? "null"}, but the parent given is {parent.Id}.");
        }
        else if ((int)parent.Level != (int)organization.Level - 1)
        {
            violations.Add("level", $"{Table}.level: organisation {organization.Id} is at level {(int)organization.Level}, so its parent must be at level {(int)organization.Level - 1}, not {(int)parent.Level}.");
        }

        return violations.ToResult();
    }

    private static void Check(ViolationCollector violations, Organization organization)
    {
        RowChecks.Id(violations, Table, "id", organization.Id);
        CheckLevelAndParent(violations, organization);
        RowChecks.Name(violations, Table, organization.Name, MaxNameLength);
        CheckDistrictCode(violations, organization.DistrictCode);
        RowChecks.CreditCode(violations, Table, "credit_code", organization.CreditCode);
        RowChecks.Status(violations, Table, organization.Status);
        RowChecks.Timestamps(violations, Table, organization.CreatedAt, organization.UpdatedAt);
    }

    private static void CheckLevelAndParent(ViolationCollector violations, Organization organization)
    {
        if (!Enum.IsDefined(organization.Level))
        {
            violations.Add("level", $"{Table}.level is {(int)organization.Level}; it must be 1 (city), 2 (district), 3 (street) or 4 (grassroots).");
            return;
        }

        if (organization.Level == OrganizationLevel.City && organization.ParentId is not null)
        {
            violations.Add("parent_id", $"{Table}.parent_id of the city federation {organization.Id} is {organization.ParentId}; level 1 has no parent, set it to null.");
        }
        else if (organization.Level != OrganizationLevel.City && organization.ParentId is null)
        {
            violations.Add("parent_id", $"{Table}.parent_id of organisation {organization.Id} (level {(int)organization.Level}) is null; only the city federation (level 1) has no parent.");
        }
        else if (organization.ParentId == organization.Id)
        {
            violations.Add("parent_id", $"{Table}.parent_id of organisation {organization.Id} is its own id.");
        }
    }

    private static void CheckDistrictCode(ViolationCollector violations, string? districtCode)
    {
        if (string.IsNullOrEmpty(districtCode))
        {
            violations.Add("district_code", $"{Table}.district_code is empty; it is the 6-digit GB/T 2260 code of the organisation's district.");
        }
        else if (!AdministrativeDivision.IsSixDigits(districtCode))
        {
            violations.Add("district_code", $"{Table}.district_code '{districtCode}' is not 6 digits (GB/T 2260, e.g. 110105).");
        }
        else if (!AdministrativeDivision.HasKnownProvince(districtCode))
        {
            violations.Add("district_code", $"{Table}.district_code '{districtCode}' starts with {districtCode[..2]}, which is no province code of GB/T 2260.");
        }
    }
}
