namespace UnionSync.Hub.Api;

/// <summary>What an organisation's whole subtree holds.</summary>
internal sealed record CountsResponse(Guid OrganizationId, long Organizations, MemberCountsResponse Members, long ActiveCards);
