using UnionSync.Sync.Queries;

namespace UnionSync.Hub.Api;

/// <summary>An organisation and its descendants, ordered by depth, then name; <see cref="Depth"/> is the limit asked for, if any.</summary>
internal sealed record SubtreeResponse(Guid OrganizationId, int? Depth, int Count, IReadOnlyList<OrganizationNode> Organizations);
