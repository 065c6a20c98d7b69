using UnionSync.Domain;

namespace UnionSync.Sync.Queries;

/// <summary>
/// A member as the read model returns it, with its organisation's name and its number of active service cards.
/// <see cref="IdNumber"/> and <see cref="Phone"/> are personal data: <see cref="ToString"/> masks them, and so must any response.
/// </summary>
public sealed record MemberRecord(
    Guid Id,
    Guid OrganizationId,
    string OrganizationName,
    string Name,
    string IdNumber,
    string? Phone,
    DateOnly JoinDate,
    string Status,
    bool MigrantWorker,
    int SkillLevel,
    int ActiveCards)
{
    public override string ToString() =>
        $"MemberRecord {{ Id = {Id}, OrganizationId = {OrganizationId}, IdNumber = {Redact.IdNumber(IdNumber)}, Phone = {Redact.Phone(Phone)}, Status = {Status} }}";
}
