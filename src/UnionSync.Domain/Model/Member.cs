namespace UnionSync.Domain.Model;

/// <summary>A row of <c>members</c> (DESIGN §3). <see cref="IdNumber"/> is personal data: mask it with <see cref="Redact"/>.</summary>
public sealed record Member(
    Guid Id,
    Guid OrganizationId,
    string Name,
    string IdNumber,
    string? Phone,
    string? EmployerCode,
    DateOnly JoinDate,
    MemberStatus Status,
    bool MigrantWorker,
    int SkillLevel,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public override string ToString() =>
        $"Member {{ Id = {Id}, OrganizationId = {OrganizationId}, IdNumber = {Redact.IdNumber(IdNumber)}, Status = {Status} }}";
}
