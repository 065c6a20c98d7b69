using System.Globalization;
using UnionSync.Seeding.Configuration;
using UnionSync.Sync.Errors;

namespace UnionSync.Seeding.Internal;

/// <summary>Checks a <see cref="GeneratorProfile"/>; each failure names the setting, its value and what it must be.</summary>
internal static class ProfileValidator
{
    public static void Validate(GeneratorProfile profile, string source)
    {
        var errors = new List<string>();
        void Require(bool ok, string setting, object? value, string rule)
        {
            if (!ok)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} is '{value}' but {rule}"));
            }
        }

        Require(profile.ReferenceDate > profile.PlatformLaunch, "referenceDate", profile.ReferenceDate, "must be after platformLaunch");
        Require(profile.PlatformLaunch.Year >= 1970, "platformLaunch", profile.PlatformLaunch, "must be a date after 1970");
        Require(profile.CardProgramStart.Year >= 1970 && profile.CardProgramStart < profile.ReferenceDate, "cardProgramStart", profile.CardProgramStart, "must be between 1970 and referenceDate");
        var scale = profile.FullScale;
        Require(scale.Members > 0 && scale.Organizations > 0 && scale.Cards >= 0 && scale.Cards <= scale.Members, "fullScale", scale, "needs positive members and organizations and 0 <= cards <= members");
        Require(scale.Districts >= 1 && scale.Streets >= scale.Districts, "fullScale.streets", scale.Streets, "must be at least fullScale.districts, which must be positive");
        Require(profile.MinimumDistricts >= 1 && profile.MinimumDistricts <= scale.Districts, "minimumDistricts", profile.MinimumDistricts, "must be between 1 and fullScale.districts");
        Require(profile.UnionSizeParetoAlpha is > 0.5 and < 10, "unionSizeParetoAlpha", profile.UnionSizeParetoAlpha, "must be between 0.5 and 10");
        Require(IsCode(profile.City.Code), "city.code", profile.City.Code, "must be 6 digits");
        Require(profile.City.Name.Length > 0 && profile.City.ShortName.Length > 0, "city.name", profile.City.Name, "needs a name and a shortName");
        Require(profile.Districts.Count >= profile.MinimumDistricts, "districts", profile.Districts.Count, "must list at least minimumDistricts entries");
        foreach (var district in profile.Districts)
        {
            Require(IsCode(district.Code) && district.Name.Length > 0, "districts[].code", district.Code, "must be 6 digits with a name");
        }

        Require(profile.Industries.Count > 0, "industries", profile.Industries.Count, "must not be empty");
        Require(profile.StreetStems.Count > 0, "streetStems", profile.StreetStems.Count, "must not be empty");
        Require(profile.EmployerBrandCharacters.Length > 0, "employerBrandCharacters", profile.EmployerBrandCharacters, "must not be empty");
        Require(profile.EmployerIndustryWords.Count > 0, "employerIndustryWords", profile.EmployerIndustryWords.Count, "must not be empty");
        Require(profile.MaleGivenNameCharacters.Length > 0, "maleGivenNameCharacters", profile.MaleGivenNameCharacters, "must not be empty");
        Require(profile.FemaleGivenNameCharacters.Length > 0, "femaleGivenNameCharacters", profile.FemaleGivenNameCharacters, "must not be empty");
        RequireWeights(errors, "streetSuffixes", profile.StreetSuffixes.Select(v => v.Weight));
        RequireWeights(errors, "companyForms", profile.CompanyForms.Select(v => v.Weight));
        RequireWeights(errors, "surnames", profile.Surnames.Select(v => v.Weight));
        RequireWeights(errors, "otherBirthRegions", profile.OtherBirthRegions.Select(v => v.Weight));
        foreach (var region in profile.OtherBirthRegions)
        {
            Require(IsCode(region.Value), "otherBirthRegions[].value", region.Value, "must be 6 digits");
        }

        RequireWeights(errors, "skillLevelWeights", profile.SkillLevelWeights);
        Require(profile.SkillLevelWeights.Count == 6, "skillLevelWeights", profile.SkillLevelWeights.Count, "must have 6 weights, for levels 0 to 5");
        RequireWeights(errors, "banks", profile.Banks.Select(b => b.Weight));
        foreach (var bank in profile.Banks)
        {
            Require(bank.Bin.Length == 6 && bank.Bin.All(char.IsAsciiDigit) && bank.Name.Length > 0, "banks[].bin", bank.Bin, "must be 6 digits with a bank name");
        }

        Require(profile.MobilePrefixes.Count > 0 && profile.MobilePrefixes.All(p => p.Length == 3 && p[0] == '1' && p.All(char.IsAsciiDigit)), "mobilePrefixes", string.Join(',', profile.MobilePrefixes), "must be 3-digit prefixes starting with 1");
        RequireWeights(errors, "memberStatus", [profile.MemberStatus.Active, profile.MemberStatus.Transferred, profile.MemberStatus.Left]);
        Require(profile.CardValidityYears is >= 1 and <= 30, "cardValidityYears", profile.CardValidityYears, "must be between 1 and 30");
        foreach (var (name, value) in Shares(profile))
        {
            Require(value is >= 0 and <= 1, name, value, "must be a share between 0 and 1");
        }

        Require(profile.CardLostShare + profile.CardCancelledShare <= 1, "cardLostShare", profile.CardLostShare, "plus cardCancelledShare must not exceed 1");
        if (errors.Count > 0)
        {
            throw new SyncConfigurationException($"The {source} is not usable: {string.Join("; ", errors)}.");
        }
    }

    private static IEnumerable<(string Name, double Value)> Shares(GeneratorProfile p) =>
    [
        ("dissolvedGrassrootsShare", p.DissolvedGrassrootsShare),
        ("jointUnionShare", p.JointUnionShare),
        ("singleCharacterGivenNameShare", p.SingleCharacterGivenNameShare),
        ("localBirthShare", p.LocalBirthShare),
        ("migrantShareNonLocal", p.MigrantShareNonLocal),
        ("migrantShareLocal", p.MigrantShareLocal),
        ("phoneMissingShare", p.PhoneMissingShare),
        ("employerCodeMissingShare", p.EmployerCodeMissingShare),
        ("cardLostShare", p.CardLostShare),
        ("cardCancelledShare", p.CardCancelledShare),
        ("unchangedRowShare", p.UnchangedRowShare),
    ];

    private static void RequireWeights(List<string> errors, string setting, IEnumerable<double> weights)
    {
        var list = weights.ToList();
        if (list.Count == 0 || list.Any(w => w < 0 || double.IsNaN(w) || double.IsInfinity(w)) || list.Sum() <= 0)
        {
            errors.Add($"{setting} must list non-negative weights with a positive sum");
        }
    }

    private static bool IsCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}
