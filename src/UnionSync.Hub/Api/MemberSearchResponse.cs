namespace UnionSync.Hub.Api;

/// <summary>The members found; <see cref="Truncated"/> says that more matched than the limit let through.</summary>
internal sealed record MemberSearchResponse(IReadOnlyList<MemberResponse> Members, bool Truncated);
