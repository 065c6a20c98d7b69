using Microsoft.AspNetCore.Http.HttpResults;
using UnionSync.Domain.Identity;
using UnionSync.Hub.Errors;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Api;

/// <summary>
/// <c>/api/v1/members</c>: member lookup by exact name or by identity number. The number is sent in the body of a POST,
/// never in the URL, and every response masks identity numbers and phones.
/// </summary>
internal static class MemberEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/members").WithTags("Members");
        group.MapPost("/search", SearchAsync).WithName("SearchMembers");
        return app;
    }

    internal static async Task<Results<Ok<MemberSearchResponse>, ProblemHttpResult>> SearchAsync(
        MemberSearchRequest request, IFederationQueries queries, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(MemberEndpoints));
        var byName = !string.IsNullOrWhiteSpace(request.Name);
        var byIdNumber = !string.IsNullOrEmpty(request.IdNumber);
        if (byName == byIdNumber)
        {
            return HubProblems.Invalid(HubProblems.InvalidMemberSearch, "Send exactly one of name or idNumber in the JSON body.");
        }

        if (request.Limit is < 1 or > MaxLimit)
        {
            return HubProblems.Invalid(HubProblems.InvalidMemberSearch, $"limit is {request.Limit}; it must be between 1 and {MaxLimit}.");
        }

        if (byIdNumber)
        {
            var idNumber = ChineseIdNumber.Validate(request.IdNumber);
            if (!idNumber.IsValid)
            {
                return HubProblems.Invalid(HubProblems.InvalidIdNumber, idNumber.Error);
            }

            var member = await queries.FindMemberByIdNumberAsync(idNumber.Value.Value, cancellationToken);
            Log.MemberSearch(logger, "idNumber", member is null ? 0 : 1);
            return TypedResults.Ok(new MemberSearchResponse(member is null ? [] : [MemberResponse.From(member)], false));
        }

        var name = request.Name!.Trim();
        if (name.Length > MaxNameLength)
        {
            return HubProblems.Invalid(HubProblems.InvalidMemberSearch, $"name has {name.Length} characters; at most {MaxNameLength} are allowed.");
        }

        var limit = request.Limit ?? DefaultLimit;
        var found = await queries.FindMembersByNameAsync(name, limit + 1, cancellationToken);
        Log.MemberSearch(logger, "name", Math.Min(found.Count, limit));
        return TypedResults.Ok(new MemberSearchResponse([.. found.Take(limit).Select(MemberResponse.From)], found.Count > limit));
    }
}
