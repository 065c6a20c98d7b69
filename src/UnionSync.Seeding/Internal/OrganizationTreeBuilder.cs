using UnionSync.Domain.Model;
using UnionSync.Seeding.Configuration;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Builds the 4-level tree: the city federation, district and industry unions, street/town/park unions, and the
/// grassroots unions of employers. Its size is bounded by the organisation count (about 76,000 at full scale).
/// </summary>
internal sealed class OrganizationTreeBuilder
{
    private readonly GenerationPlan _plan;
    private readonly GeneratorProfile _profile;
    private readonly List<Organization> _organizations = [];
    private SeededRandom _tree;

    public OrganizationTreeBuilder(GenerationPlan plan)
    {
        _plan = plan;
        _profile = plan.Source;
        _tree = SeededRandom.For(plan.Seed, StreamTag.Tree, 0);
    }

    public OrganizationTree Build()
    {
        var shape = _plan.Shape;
        var city = Add(null, OrganizationLevel.City, _profile.City.Name, _profile.City.Code, null, OrganizationStatus.Active);

        var level2 = new List<(Organization Organization, string Place)>(shape.Districts);
        for (var i = 0; i < shape.Districts; i++)
        {
            var (name, seat) = DistrictUnion(i);
            level2.Add((Add(city.Id, OrganizationLevel.District, name, seat.Code, null, OrganizationStatus.Active), seat.Name));
        }

        var streets = new List<(Organization Organization, string Stem)>(shape.Streets);
        var streetsPerParent = new int[shape.Districts];
        for (var j = 0; j < shape.Streets; j++)
        {
            var parentIndex = j < shape.Districts ? j : _tree.NextInt(shape.Districts);
            var (parent, place) = level2[parentIndex];
            var ordinal = streetsPerParent[parentIndex]++;
            var stems = _profile.StreetStems;
            var stem = stems[(parentIndex * 7 + ordinal) % stems.Count];
            if (ordinal >= stems.Count)
            {
                stem += (ordinal / stems.Count) + 1;
            }

            var suffix = _plan.Profile.StreetSuffixes.Pick(ref _tree);
            streets.Add((Add(parent.Id, OrganizationLevel.Street, place + stem + suffix, parent.DistrictCode, null, OrganizationStatus.Active), stem));
        }

        var sizes = UnionSizes.Compute(shape.Grassroots, shape.Members, _profile.UnionSizeParetoAlpha, _plan.Seed);
        var grassroots = new List<GrassrootsUnion>(shape.Grassroots);
        for (var g = 0; g < shape.Grassroots; g++)
        {
            var (street, stem) = streets[_tree.NextInt(shape.Streets)];
            var random = SeededRandom.For(_plan.Seed, StreamTag.Organization, (ulong)_organizations.Count);
            var name = random.Chance(_profile.JointUnionShare)
                ? $"{stem}{(random.Chance(0.5) ? "社区" : "片区")}联合工会委员会"
                : CompanyUnionName(ref random);
            var creditCode = CreditCodes.Create(CreditCodes.Enterprise, street.DistrictCode, _plan.CreditNumbers.Permute((ulong)g));
            var status = random.Chance(_profile.DissolvedGrassrootsShare) ? OrganizationStatus.Dissolved : OrganizationStatus.Active;
            grassroots.Add(new GrassrootsUnion(Add(street.Id, OrganizationLevel.Grassroots, name, street.DistrictCode, creditCode, status), sizes[g]));
        }

        return new OrganizationTree(_organizations, grassroots);
    }

    private (string Name, DistrictEntry Seat) DistrictUnion(int index)
    {
        var districts = _profile.Districts;
        var industries = _profile.Industries;
        if (index < districts.Count)
        {
            return (districts[index].Name + "总工会", districts[index]);
        }

        var other = index - districts.Count;
        if (other < industries.Count)
        {
            return ($"{_profile.City.ShortName}市{industries[other]}工会", districts[other % districts.Count]);
        }

        other -= industries.Count;
        var seat = districts[other % districts.Count];
        return ($"{seat.Name}{industries[other / districts.Count % industries.Count]}工会", seat);
    }

    private string CompanyUnionName(ref SeededRandom random)
    {
        var brand = _profile.EmployerBrandCharacters;
        var words = _profile.EmployerIndustryWords;
        return string.Concat(
            _profile.City.ShortName,
            brand[random.NextInt(brand.Length)].ToString(),
            brand[random.NextInt(brand.Length)].ToString(),
            words[random.NextInt(words.Count)],
            _plan.Profile.CompanyForms.Pick(ref random),
            "工会委员会");
    }

    private Organization Add(Guid? parentId, OrganizationLevel level, string name, string districtCode, string? creditCode, OrganizationStatus status)
    {
        var index = _organizations.Count;
        var random = SeededRandom.For(_plan.Seed, StreamTag.OrganizationId, (ulong)index);
        var launch = _profile.PlatformLaunch;
        var createdDay = level == OrganizationLevel.Grassroots
            ? Timestamps.Between(launch, _plan.Reference.AddDays(-1), ref random)
            : launch.AddDays(random.NextInt(Math.Clamp(_plan.Reference.DayNumber - launch.DayNumber, 1, 30)));
        var created = Timestamps.During(createdDay, ref random);
        var updated = Timestamps.Updated(created, _plan.ReferenceInstant, _profile.UnchangedRowShare, ref random);
        var organization = new Organization(
            UuidV7.ForRow(_plan.Profile.LaunchMilliseconds, _plan.Seed, StreamTag.OrganizationId, index),
            parentId,
            level,
            name,
            creditCode,
            districtCode,
            status,
            created,
            updated);
        _organizations.Add(organization);
        return organization;
    }
}
