using UnionSync.Domain.Model;
using UnionSync.Seeding.Configuration;

namespace UnionSync.Seeding.Internal;

/// <summary>A <see cref="GeneratorProfile"/> turned into pickers once per run.</summary>
internal sealed class CompiledProfile
{
    public CompiledProfile(GeneratorProfile profile)
    {
        Source = profile;
        Surnames = Weighted(profile.Surnames);
        StreetSuffixes = Weighted(profile.StreetSuffixes);
        CompanyForms = Weighted(profile.CompanyForms);
        SkillLevels = new WeightedPicker<int>([0, 1, 2, 3, 4, 5], profile.SkillLevelWeights);
        Banks = new WeightedPicker<BankEntry>(profile.Banks, [.. profile.Banks.Select(b => b.Weight)]);
        MemberStatuses = new WeightedPicker<MemberStatus>(
            [MemberStatus.Active, MemberStatus.Transferred, MemberStatus.Left],
            [profile.MemberStatus.Active, profile.MemberStatus.Transferred, profile.MemberStatus.Left]);

        var localWeight = profile.LocalBirthShare / profile.Districts.Count;
        var otherTotal = profile.OtherBirthRegions.Sum(r => r.Weight);
        LocalRegionCount = profile.Districts.Count;
        BirthRegions = new WeightedPicker<string>(
            [.. profile.Districts.Select(d => d.Code), .. profile.OtherBirthRegions.Select(r => r.Value)],
            [.. profile.Districts.Select(_ => localWeight), .. profile.OtherBirthRegions.Select(r => r.Weight / otherTotal * (1 - profile.LocalBirthShare))]);
        LaunchMilliseconds = new DateTimeOffset(profile.PlatformLaunch.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public GeneratorProfile Source { get; }

    public WeightedPicker<string> Surnames { get; }

    public WeightedPicker<string> StreetSuffixes { get; }

    public WeightedPicker<string> CompanyForms { get; }

    public WeightedPicker<int> SkillLevels { get; }

    public WeightedPicker<BankEntry> Banks { get; }

    public WeightedPicker<MemberStatus> MemberStatuses { get; }

    /// <summary>The city's own districts first, then the other regions: an index below <see cref="LocalRegionCount"/> is local.</summary>
    public WeightedPicker<string> BirthRegions { get; }

    public int LocalRegionCount { get; }

    /// <summary>The time base of every generated UUID: row n of a table is stamped launch + n milliseconds.</summary>
    public long LaunchMilliseconds { get; }

    private static WeightedPicker<string> Weighted(IReadOnlyList<WeightedValue> values) =>
        new([.. values.Select(v => v.Value)], [.. values.Select(v => v.Weight)]);
}
