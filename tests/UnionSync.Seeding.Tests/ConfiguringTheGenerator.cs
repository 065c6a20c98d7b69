using UnionSync.Seeding.Configuration;
using UnionSync.Sync.Errors;

namespace UnionSync.Seeding.Tests;

public sealed class ConfiguringTheGenerator
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData(GeneratorOptions.MaxMembers + 1)]
    public void a_member_count_out_of_range_is_refused_naming_it(long members)
    {
        var ex = Assert.Throws<SyncConfigurationException>(() => FederationGenerator.Plan(new GeneratorOptions { Members = members }));

        Assert.Contains("number of members", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void the_demo_federation_comes_from_the_embedded_seed_file()
    {
        var demo = DemoFederation.Options;

        Assert.Equal(2_000, demo.Members);
        Assert.Equal(20250630, demo.Seed);
        Assert.Equal(new DateOnly(2025, 6, 30), demo.ReferenceDate);
        Assert.Equal(2_000, FederationGenerator.EnumerateMembers(demo).Count());
    }

    [Fact]
    public void the_default_profile_is_the_embedded_generator_json()
    {
        var profile = GeneratorProfile.Default;

        Assert.Equal(120, profile.FullScale.Districts);
        Assert.Equal(16, profile.Districts.Count);
        Assert.Equal("王", profile.Surnames[0].Value);
        Assert.Contains(profile.Banks, b => b.Name == "北京银行");
        Assert.Equal(6, profile.SkillLevelWeights.Count);
    }

    [Fact]
    public void a_profile_setting_out_of_range_is_refused_naming_the_setting_and_value()
    {
        var json = File.ReadAllText(FindSeedsFile("generator.json")).Replace("\"cardValidityYears\": 10", "\"cardValidityYears\": 0", StringComparison.Ordinal);

        var ex = Assert.Throws<SyncConfigurationException>(() => GeneratorProfile.Parse(json, "seeds/generator.json"));

        Assert.Contains("cardValidityYears is '0'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void malformed_profile_json_is_refused_with_where_it_broke()
    {
        var ex = Assert.Throws<SyncConfigurationException>(() => GeneratorProfile.Parse("{ \"surnames\": 3 }", "my.json"));

        Assert.Contains("my.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("surnames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void another_reference_date_moves_ages_and_dates_with_it()
    {
        var options = new GeneratorOptions { Members = 500, ReferenceDate = new DateOnly(2030, 1, 1) };

        Assert.All(FederationGenerator.EnumerateMembers(options), m => Assert.True(m.JoinDate < options.ReferenceDate));
        Assert.Contains(FederationGenerator.EnumerateMembers(options), m => m.JoinDate.Year >= 2026);
    }

    private static string FindSeedsFile(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "seeds", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"seeds/{name} not found above {AppContext.BaseDirectory}");
    }
}
