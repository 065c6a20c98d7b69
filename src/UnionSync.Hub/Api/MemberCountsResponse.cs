namespace UnionSync.Hub.Api;

/// <summary>Members of a subtree by status.</summary>
internal sealed record MemberCountsResponse(long Active, long Transferred, long Left, long Total);
