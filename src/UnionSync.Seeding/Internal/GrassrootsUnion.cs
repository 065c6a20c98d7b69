using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Internal;

/// <summary>A level-4 organisation and the number of members it gets.</summary>
internal sealed record GrassrootsUnion(Organization Organization, long MemberCount);
