using UnionSync.Seeding;

namespace UnionSync.Sync.Tests.Support;

/// <summary>A generated city federation in a node, and the organisations tests pick as scopes.</summary>
internal static class Federation
{
    public static async Task GenerateAsync(TestNode city, long members = 2_000, long seed = 11)
    {
        await new FederationGenerator().GenerateAsync(city.Provider, new GeneratorOptions { Members = members, Seed = seed }, null, TestContext.Current.CancellationToken);
    }

    /// <summary>Districts (level 2) that hold at least one member, largest first.</summary>
    public static Task<List<Guid>> DistrictsAsync(TestNode node) => node.IdsAsync(
        "SELECT d.id FROM organizations d WHERE d.level = 2 AND EXISTS (SELECT 1 FROM organizations s JOIN organizations g ON g.parent_id = s.id " +
        "JOIN members m ON m.organization_id = g.id WHERE s.parent_id = d.id) ORDER BY d.id");

    /// <summary>Grassroots unions (level 4) under <paramref name="ancestor"/> that hold members, by id.</summary>
    public static Task<List<Guid>> GrassrootsUnderAsync(TestNode node, Guid ancestor) => node.IdsAsync(
        "SELECT g.id FROM organizations g JOIN organizations s ON s.id = g.parent_id WHERE g.level = 4 AND (s.parent_id = @a OR s.id = @a OR g.id = @a) " +
        "AND EXISTS (SELECT 1 FROM members m WHERE m.organization_id = g.id) ORDER BY g.id",
        ("@a", node.Id(ancestor)));

    public static Task<List<Guid>> StreetsUnderAsync(TestNode node, Guid district) => node.IdsAsync(
        "SELECT s.id FROM organizations s WHERE s.level = 3 AND s.parent_id = @d ORDER BY s.id", ("@d", node.Id(district)));

    public static Task<List<Guid>> MembersOfAsync(TestNode node, Guid organization) => node.IdsAsync(
        "SELECT id FROM members WHERE organization_id = @o ORDER BY id", ("@o", node.Id(organization)));

    public static Task<List<Guid>> MembersWithCardsUnderAsync(TestNode node, Guid ancestor) => node.IdsAsync(
        "SELECT DISTINCT m.id FROM members m JOIN organizations g ON g.id = m.organization_id JOIN organizations s ON s.id = g.parent_id " +
        "JOIN service_cards c ON c.member_id = m.id WHERE s.parent_id = @a OR s.id = @a OR g.id = @a ORDER BY m.id",
        ("@a", node.Id(ancestor)));
}
