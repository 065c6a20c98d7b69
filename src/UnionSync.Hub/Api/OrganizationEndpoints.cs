using Microsoft.AspNetCore.Http.HttpResults;
using UnionSync.Hub.Errors;
using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Api;

/// <summary><c>/api/v1/organizations</c>: the roots of the tree, an organisation's subtree and its counts. Read-only.</summary>
internal static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/organizations").WithTags("Organizations");
        group.MapGet("/", GetRootsAsync).WithName("GetRootOrganizations");
        group.MapGet("/{id:guid}/subtree", GetSubtreeAsync).WithName("GetOrganizationSubtree");
        group.MapGet("/{id:guid}/counts", GetCountsAsync).WithName("GetOrganizationCounts");
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<OrganizationNode>>> GetRootsAsync(IFederationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetRootsAsync(cancellationToken));

    internal static async Task<Results<Ok<SubtreeResponse>, ProblemHttpResult>> GetSubtreeAsync(
        Guid id, int? depth, IFederationQueries queries, CancellationToken cancellationToken)
    {
        if (depth is < 0 or > FederationQueries.MaxTreeDepth)
        {
            return HubProblems.Invalid(
                HubProblems.InvalidDepth, $"The query parameter depth is {depth}; it must be between 0 and {FederationQueries.MaxTreeDepth}, or left out for the whole subtree.");
        }

        var nodes = await queries.GetSubtreeAsync(id, depth, cancellationToken);
        return nodes.Count == 0
            ? UnknownOrganization(id)
            : TypedResults.Ok(new SubtreeResponse(id, depth, nodes.Count, nodes));
    }

    internal static async Task<Results<Ok<CountsResponse>, ProblemHttpResult>> GetCountsAsync(
        Guid id, IFederationQueries queries, CancellationToken cancellationToken)
    {
        var counts = await queries.GetCountsAsync(id, cancellationToken);
        return counts is null
            ? UnknownOrganization(id)
            : TypedResults.Ok(new CountsResponse(
                id,
                counts.Organizations,
                new MemberCountsResponse(counts.ActiveMembers, counts.TransferredMembers, counts.LeftMembers, counts.TotalMembers),
                counts.ActiveCards));
    }

    private static ProblemHttpResult UnknownOrganization(Guid id) =>
        HubProblems.NotFound(HubProblems.OrganizationNotFound, $"There is no organisation {id}.");
}
