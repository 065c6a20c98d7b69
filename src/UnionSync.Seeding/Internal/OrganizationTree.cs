using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Internal;

/// <summary>The generated organisations in insert order (every parent before its children), and the grassroots unions with their sizes.</summary>
internal sealed class OrganizationTree(IReadOnlyList<Organization> organizations, IReadOnlyList<GrassrootsUnion> grassroots)
{
    public IReadOnlyList<Organization> Organizations { get; } = organizations;

    public IReadOnlyList<GrassrootsUnion> Grassroots { get; } = grassroots;
}
