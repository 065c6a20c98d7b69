namespace UnionSync.Seeding.Internal;

/// <summary>Separates the random streams of the generator, so that one entity's draws never shift another's.</summary>
internal enum StreamTag : ulong
{
    Tree = 1,
    Organization = 2,
    OrganizationId = 3,
    UnionSizes = 4,
    Member = 5,
    MemberId = 6,
    BirthRegion = 7,
    CardOwnership = 8,
    Card = 9,
    CardId = 10,
    CardNumber = 11,
    CreditCode = 12,
}
