using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// The three row streams. Members are made union by union; cards by making the members again in the same order,
/// so nothing grows with the member count but the tree of organisations.
/// </summary>
internal sealed class FederationStreams(GenerationPlan plan)
{
    private OrganizationTree? _tree;

    public GenerationPlan Plan => plan;

    public OrganizationTree Tree => _tree ??= new OrganizationTreeBuilder(plan).Build();

    public IEnumerable<Organization> Organizations() => Tree.Organizations;

    public IEnumerable<Member> Members()
    {
        foreach (var (_, member) in IndexedMembers())
        {
            yield return member;
        }
    }

    public IEnumerable<ServiceCard> ServiceCards()
    {
        var cards = new CardFactory(plan);
        var cardIndex = 0L;
        foreach (var (memberIndex, member) in IndexedMembers())
        {
            if (plan.HoldsCard(memberIndex))
            {
                yield return cards.Create(cardIndex++, member);
            }
        }
    }

    private IEnumerable<(long Index, Member Member)> IndexedMembers()
    {
        var factory = new MemberFactory(plan, plan.CreateIdentityAllocator());
        var index = 0L;
        foreach (var union in Tree.Grassroots)
        {
            for (var i = 0L; i < union.MemberCount; i++)
            {
                yield return (index, factory.Create(index, union));
                index++;
            }
        }
    }
}
