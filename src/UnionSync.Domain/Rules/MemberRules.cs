using UnionSync.Domain.Contact;
using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;

namespace UnionSync.Domain.Rules;

/// <summary>The rules of a <c>members</c> row (DESIGN §3). "Today" is a parameter: the domain never reads the clock.</summary>
public static class MemberRules
{
    public const int MaxNameLength = 100;

    /// <summary>The minimum working age of the Labour Law: nobody joins a union before the 16th birthday.</summary>
    public const int MinJoiningAge = 16;

    public const int MinSkillLevel = 0;

    public const int MaxSkillLevel = 5;

    private const string Table = "members";

    /// <summary>
    /// The rules one row can check alone: ids, a non-empty name, a valid <c>id_number</c> in its stored form (upper-case
    /// X) whose birth date is not after <paramref name="today"/>, <c>phone</c> null or a normalised mainland number,
    /// <c>employer_code</c> null or a valid credit code, <c>join_date</c> neither before the 16th birthday nor after
    /// <paramref name="today"/>, <c>skill_level</c> 0-5, a defined status and UTC timestamps.
    /// </summary>
    public static ValidationResult Validate(Member member, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(member);
        var violations = new ViolationCollector();
        Check(violations, member, today);
        return violations.ToResult();
    }

    /// <summary>
    /// As <see cref="Validate(Member, DateOnly)"/>, and <paramref name="organization"/> is the row that
    /// <c>organization_id</c> names: a grassroots (level 4) union, not dissolved while the member is active.
    /// </summary>
    public static ValidationResult Validate(Member member, Organization organization, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(organization);
        var violations = new ViolationCollector();
        Check(violations, member, today);
        if (member.OrganizationId != organization.Id)
        {
            violations.Add("organization_id", $"{Table}.organization_id of member {member.Id} is {member.OrganizationId}, but the organisation given is {organization.Id}.");
        }
        else if (organization.Level != OrganizationLevel.Grassroots)
        {
            violations.Add("organization_id", $"{Table}.organization_id of member {member.Id} names organisation {organization.Id} at level {(int)organization.Level}; members belong to grassroots unions (level 4).");
        }
        else if (member.Status == MemberStatus.Active && organization.Status == OrganizationStatus.Dissolved)
        {
            violations.Add("organization_id", $"Member {member.Id} is active in organisation {organization.Id}, which is dissolved; transfer the member or record that they left.");
        }

        return violations.ToResult();
    }

    private static void Check(ViolationCollector violations, Member member, DateOnly today)
    {
        RowChecks.Id(violations, Table, "id", member.Id);
        RowChecks.Id(violations, Table, "organization_id", member.OrganizationId);
        RowChecks.Name(violations, Table, member.Name, MaxNameLength);
        var identity = CheckIdNumber(violations, member.IdNumber, today);
        CheckPhone(violations, member.Phone);
        RowChecks.CreditCode(violations, Table, "employer_code", member.EmployerCode);
        CheckJoinDate(violations, member.JoinDate, identity, today);
        RowChecks.Status(violations, Table, member.Status);
        if (member.SkillLevel is < MinSkillLevel or > MaxSkillLevel)
        {
            violations.Add("skill_level", $"{Table}.skill_level is {member.SkillLevel}; it must be {MinSkillLevel} to {MaxSkillLevel}.");
        }

        RowChecks.Timestamps(violations, Table, member.CreatedAt, member.UpdatedAt);
    }

    private static IdentityNumber? CheckIdNumber(ViolationCollector violations, string? idNumber, DateOnly today)
    {
        var result = ChineseIdNumber.Validate(idNumber, today);
        if (!result.IsValid)
        {
            violations.Add("id_number", $"{Table}.id_number: {result.Error}");
            return null;
        }

        if (!string.Equals(result.Value.Value, idNumber, StringComparison.Ordinal))
        {
            violations.Add("id_number", $"{Table}.id_number {result.Value} is valid but ends in a lower-case x; store it with an upper-case X.");
        }

        return result.Value;
    }

    private static void CheckPhone(ViolationCollector violations, string? phone)
    {
        if (phone is null)
        {
            return;
        }

        var result = MainlandPhone.Validate(phone);
        if (!result.IsValid)
        {
            violations.Add("phone", $"{Table}.phone: {result.Error} Store a mainland number or null.");
        }
        else if (!string.Equals(result.Value.Value, phone, StringComparison.Ordinal))
        {
            violations.Add("phone", $"{Table}.phone {Redact.Phone(phone)} is valid but not in its stored form; store MainlandPhone.Normalize of it ({result.Value}).");
        }
    }

    private static void CheckJoinDate(ViolationCollector violations, DateOnly joinDate, IdentityNumber? identity, DateOnly today)
    {
        if (joinDate > today)
        {
            violations.Add("join_date", $"{Table}.join_date {joinDate:yyyy-MM-dd} is after today, {today:yyyy-MM-dd}.");
        }

        // Without a valid id_number there is no birth date to compare with; that violation is already recorded.
        if (identity is not null && joinDate < identity.BirthdayAt(MinJoiningAge))
        {
            violations.Add("join_date", $"{Table}.join_date {joinDate:yyyy-MM-dd} is before the member's {MinJoiningAge}th birthday (from id_number {identity}); nobody joins a union younger.");
        }
    }
}
