using UnionSync.Domain;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Api;

/// <summary>A member as the API shows it: identity number and phone masked (<c>110105********002X</c>, <c>*******5678</c>).</summary>
internal sealed record MemberResponse(
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
    public static MemberResponse From(MemberRecord member) => new(
        member.Id,
        member.OrganizationId,
        member.OrganizationName,
        member.Name,
        Redact.IdNumber(member.IdNumber),
        member.Phone is null ? null : Redact.Phone(member.Phone),
        member.JoinDate,
        member.Status,
        member.MigrantWorker,
        member.SkillLevel,
        member.ActiveCards);
}
