using System.Text.Json;
using UnionSync.Seeding.Internal;
using UnionSync.Sync.Errors;

namespace UnionSync.Seeding.Configuration;

/// <summary>
/// The distribution knobs of the generator: names, places, banks and ratios. <see cref="Default"/> is
/// <c>seeds/generator.json</c>, embedded in this assembly.
/// </summary>
public sealed class GeneratorProfile
{
    private static readonly Lazy<GeneratorProfile> DefaultProfile = new(() => Parse(SeedResources.ReadText("generator.json"), "seeds/generator.json"));

    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static GeneratorProfile Default => DefaultProfile.Value;

    /// <summary>The date ages, join dates and timestamps are computed against; never the clock.</summary>
    public DateOnly ReferenceDate { get; init; }

    /// <summary>When the online platform started: the earliest <c>created_at</c>, and the time base of the UUIDs.</summary>
    public DateOnly PlatformLaunch { get; init; }

    public DateOnly CardProgramStart { get; init; }

    public FullScaleCounts FullScale { get; init; } = new(0, 0, 0, 0, 0);

    public int MinimumDistricts { get; init; }

    /// <summary>The tail exponent of grassroots union sizes (Pareto); smaller means a few larger unions.</summary>
    public double UnionSizeParetoAlpha { get; init; }

    public double DissolvedGrassrootsShare { get; init; }

    public double JointUnionShare { get; init; }

    public CityEntry City { get; init; } = new(string.Empty, string.Empty, string.Empty);

    public IReadOnlyList<DistrictEntry> Districts { get; init; } = [];

    public IReadOnlyList<string> Industries { get; init; } = [];

    public IReadOnlyList<string> StreetStems { get; init; } = [];

    public IReadOnlyList<WeightedValue> StreetSuffixes { get; init; } = [];

    public string EmployerBrandCharacters { get; init; } = string.Empty;

    public IReadOnlyList<string> EmployerIndustryWords { get; init; } = [];

    public IReadOnlyList<WeightedValue> CompanyForms { get; init; } = [];

    public IReadOnlyList<WeightedValue> Surnames { get; init; } = [];

    public string MaleGivenNameCharacters { get; init; } = string.Empty;

    public string FemaleGivenNameCharacters { get; init; } = string.Empty;

    public double SingleCharacterGivenNameShare { get; init; }

    /// <summary>The share of members born in the city's own districts; the rest come from <see cref="OtherBirthRegions"/>.</summary>
    public double LocalBirthShare { get; init; }

    public IReadOnlyList<WeightedValue> OtherBirthRegions { get; init; } = [];

    public double MigrantShareNonLocal { get; init; }

    public double MigrantShareLocal { get; init; }

    public IReadOnlyList<string> MobilePrefixes { get; init; } = [];

    public double PhoneMissingShare { get; init; }

    public double EmployerCodeMissingShare { get; init; }

    public MemberStatusShares MemberStatus { get; init; } = new(1, 0, 0);

    /// <summary>Weights of skill levels 0 to 5.</summary>
    public IReadOnlyList<double> SkillLevelWeights { get; init; } = [];

    public IReadOnlyList<BankEntry> Banks { get; init; } = [];

    public int CardValidityYears { get; init; }

    public double CardLostShare { get; init; }

    public double CardCancelledShare { get; init; }

    /// <summary>The share of rows whose <c>updated_at</c> equals <c>created_at</c>.</summary>
    public double UnchangedRowShare { get; init; }

    /// <exception cref="SyncConfigurationException">the JSON is malformed or a setting is out of range.</exception>
    public static GeneratorProfile Parse(string json, string source = "generator profile")
    {
        GeneratorProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<GeneratorProfile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new SyncConfigurationException($"The {source} is not valid JSON at {ex.Path}: {ex.Message}", ex);
        }

        if (profile is null)
        {
            throw new SyncConfigurationException($"The {source} is empty (JSON null).");
        }

        profile.Validate(source);
        return profile;
    }

    /// <exception cref="SyncConfigurationException">a setting is out of range; the message names it and its value.</exception>
    public void Validate(string source = "generator profile") => ProfileValidator.Validate(this, source);
}
