using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;
using UnionSync.Seeding.Configuration;
using UnionSync.Seeding.Internal;

namespace UnionSync.Seeding.Tests;

public sealed class FederationShapeAtScale
{
    private static readonly GeneratorOptions HundredThousand = new() { Members = 100_000, Seed = 42 };
    private static readonly Lazy<Statistics> Stats = new(() => Statistics.Of(HundredThousand));

    [Fact]
    public void the_full_seed_scale_plans_120_districts_2000_streets_76_thousand_organisations_and_2_93_million_cards()
    {
        var shape = FederationGenerator.Plan(new GeneratorOptions { Members = 4_300_000 });

        Assert.Equal(120, shape.Districts);
        Assert.Equal(2_000, shape.Streets);
        Assert.Equal(76_000, shape.Organizations);
        Assert.Equal(2_930_000, shape.Cards);
        Assert.Equal(4_300_000, shape.Members);
    }

    [Fact]
    public void at_full_scale_a_few_grassroots_unions_have_10_thousand_members_and_most_fewer_than_50()
    {
        var shape = FederationGenerator.Plan(new GeneratorOptions { Members = 4_300_000 });
        var sizes = UnionSizes.Compute(shape.Grassroots, shape.Members, GeneratorProfile.Default.UnionSizeParetoAlpha, 1);

        Assert.Equal(4_300_000, sizes.Sum());
        Assert.InRange(sizes.Count(s => s >= 10_000), 2, 50);
        Assert.True(sizes.Count(s => s < 50) > sizes.Length / 2, "most unions should have fewer than 50 members");
        Assert.True(sizes.Max() < 4_300_000 / 20, "no union should hold 5 % of the federation");
    }

    [Fact]
    public void a_tiny_federation_still_has_a_city_a_few_districts_and_a_grassroots_union()
    {
        var options = new GeneratorOptions { Members = 1 };
        var organizations = FederationGenerator.EnumerateOrganizations(options).ToList();

        Assert.Single(organizations, o => o.Level == OrganizationLevel.City);
        Assert.True(organizations.Count(o => o.Level == OrganizationLevel.District) >= 3);
        Assert.Contains(organizations, o => o.Level == OrganizationLevel.Grassroots);
        Assert.Single(FederationGenerator.EnumerateMembers(options));
        Assert.Equal(FederationGenerator.Plan(options).Organizations, organizations.Count);
    }

    [Fact]
    public void the_tree_has_four_levels_each_parented_by_the_level_above_and_listed_after_it()
    {
        var organizations = FederationGenerator.EnumerateOrganizations(HundredThousand).ToList();
        var seen = new Dictionary<Guid, Organization>();
        foreach (var organization in organizations)
        {
            if (organization.Level == OrganizationLevel.City)
            {
                Assert.Null(organization.ParentId);
            }
            else
            {
                Assert.True(seen.TryGetValue(organization.ParentId!.Value, out var parent), "a parent must come before its children");
                Assert.Equal((int)organization.Level - 1, (int)parent!.Level);
            }

            seen.Add(organization.Id, organization);
        }

        var shape = FederationGenerator.Plan(HundredThousand);
        Assert.Equal(shape.Organizations, organizations.Count);
        Assert.Equal(shape.Districts, organizations.Count(o => o.Level == OrganizationLevel.District));
        Assert.Equal(shape.Streets, organizations.Count(o => o.Level == OrganizationLevel.Street));
        Assert.InRange(organizations.Count, 1_700, 1_830);
        Assert.Contains(organizations, o => o.Name.EndsWith("区总工会", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name.EndsWith("街道总工会", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name.EndsWith("有限公司工会委员会", StringComparison.Ordinal));
    }

    [Fact]
    public void union_sizes_are_skewed_with_the_largest_far_above_the_median()
    {
        var sizes = Stats.Value.UnionSizes.Order().ToList();
        var median = sizes[sizes.Count / 2];

        Assert.True(median < 50, $"median union size {median}");
        Assert.True(sizes[^1] > 50 * median, $"largest union {sizes[^1]} against median {median}");
        Assert.Equal(100_000, sizes.Sum());
    }

    [Fact]
    public void about_68_percent_of_members_hold_a_card()
    {
        var share = Stats.Value.Cards / 100_000.0;

        Assert.InRange(share, 0.65, 0.71);
        Assert.Equal(FederationGenerator.Plan(HundredThousand).Cards, Stats.Value.Cards);
        Assert.Equal(Stats.Value.Cards, Stats.Value.DistinctCardHolders);
    }

    [Fact]
    public void members_who_left_hold_no_active_card()
    {
        Assert.True(Stats.Value.LeftWithCard > 0, "some members who left should have had a card");
        Assert.Equal(0, Stats.Value.LeftWithActiveCard);
    }

    [Fact]
    public void statuses_flags_and_skill_levels_follow_the_profile()
    {
        var stats = Stats.Value;

        Assert.InRange(stats.Statuses[MemberStatus.Active] / 100_000.0, 0.86, 0.93);
        Assert.InRange(stats.Statuses[MemberStatus.Transferred] / 100_000.0, 0.02, 0.07);
        Assert.InRange(stats.Statuses[MemberStatus.Left] / 100_000.0, 0.04, 0.10);
        Assert.InRange(stats.Migrants / 100_000.0, 0.25, 0.35);
        Assert.Equal(6, stats.SkillLevels.Count);
        Assert.True(stats.SkillLevels[0] > stats.SkillLevels[5] * 5);
        Assert.All(stats.SkillLevels.Keys, level => Assert.InRange(level, 0, 5));
    }

    [Fact]
    public void join_dates_and_timestamps_are_consistent_with_birth_and_the_reference_date()
    {
        var reference = HundredThousand.ReferenceDate;
        var referenceInstant = reference.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var member in FederationGenerator.EnumerateMembers(HundredThousand).Take(30_000))
        {
            var birth = ChineseIdNumber.Parse(member.IdNumber).BirthDate;
            Assert.True(member.JoinDate >= birth.AddYears(16), "joined before the 16th birthday");
            Assert.True(member.JoinDate < reference, "joined after the reference date");
            Assert.True(member.CreatedAt <= member.UpdatedAt);
            Assert.True(member.UpdatedAt < referenceInstant);
        }

        foreach (var card in FederationGenerator.EnumerateServiceCards(HundredThousand).Take(20_000))
        {
            Assert.True(card.IssueDate < reference && card.ExpiryDate > card.IssueDate);
            Assert.True(card.CreatedAt <= card.UpdatedAt && card.UpdatedAt < referenceInstant);
        }
    }

    [Fact]
    public void names_are_chinese_with_common_surnames_first()
    {
        var surnames = new Dictionary<char, int>();
        foreach (var member in FederationGenerator.EnumerateMembers(HundredThousand).Take(20_000))
        {
            Assert.InRange(member.Name.Length, 2, 4);
            Assert.All(member.Name, c => Assert.InRange(c, '\u4e00', '\u9fff'));
            surnames[member.Name[0]] = surnames.GetValueOrDefault(member.Name[0]) + 1;
        }

        var top = surnames.OrderByDescending(p => p.Value).Take(5).Select(p => p.Key).ToList();
        Assert.Contains('王', top);
        Assert.Contains('李', top);
        Assert.Contains('张', top);
    }

    private sealed record Statistics(
        List<long> UnionSizes,
        long Cards,
        long DistinctCardHolders,
        long LeftWithCard,
        long LeftWithActiveCard,
        Dictionary<MemberStatus, int> Statuses,
        long Migrants,
        Dictionary<int, int> SkillLevels)
    {
        public static Statistics Of(GeneratorOptions options)
        {
            var perUnion = new Dictionary<Guid, long>();
            var statusOf = new Dictionary<Guid, MemberStatus>();
            var statuses = new Dictionary<MemberStatus, int>();
            var skills = new Dictionary<int, int>();
            var migrants = 0L;
            foreach (var member in FederationGenerator.EnumerateMembers(options))
            {
                perUnion[member.OrganizationId] = perUnion.GetValueOrDefault(member.OrganizationId) + 1;
                statusOf[member.Id] = member.Status;
                statuses[member.Status] = statuses.GetValueOrDefault(member.Status) + 1;
                skills[member.SkillLevel] = skills.GetValueOrDefault(member.SkillLevel) + 1;
                migrants += member.MigrantWorker ? 1 : 0;
            }

            var grassroots = FederationGenerator.EnumerateOrganizations(options).Where(o => o.Level == OrganizationLevel.Grassroots);
            var sizes = grassroots.Select(o => perUnion.GetValueOrDefault(o.Id)).ToList();
            var cards = 0L;
            var holders = new HashSet<Guid>();
            var leftWithCard = 0L;
            var leftWithActive = 0L;
            foreach (var card in FederationGenerator.EnumerateServiceCards(options))
            {
                cards++;
                holders.Add(card.MemberId);
                if (statusOf[card.MemberId] == MemberStatus.Left)
                {
                    leftWithCard++;
                    leftWithActive += card.Status == CardStatus.Active ? 1 : 0;
                }
            }

            return new Statistics(sizes, cards, holders.Count, leftWithCard, leftWithActive, statuses, migrants, skills);
        }
    }
}
