namespace UnionSync.Hub.Api;

/// <summary>
/// The body of <c>POST /api/v1/members/search</c>: exactly one of <see cref="Name"/> (exact match) or <see cref="IdNumber"/>.
/// The identity number travels in the body so that it never appears in a URL, a proxy log or a browser history.
/// </summary>
internal sealed record MemberSearchRequest(string? Name, string? IdNumber, int? Limit)
{
    public override string ToString() => $"MemberSearchRequest {{ Name = {Name}, IdNumber = {UnionSync.Domain.Redact.IdNumber(IdNumber)}, Limit = {Limit} }}";
}
