using UnionSync.Domain.Model;
using UnionSync.Domain.Rules;

namespace UnionSync.Domain.Tests;

public sealed class OrganizationRulesTests
{
    [Fact]
    public void A_well_formed_tree_of_four_levels_is_valid()
    {
        Assert.True(OrganizationRules.Validate(Rows.City()).IsValid, OrganizationRules.Validate(Rows.City()).ToString());
        Assert.True(OrganizationRules.Validate(Rows.District(), Rows.City()).IsValid);
        Assert.True(OrganizationRules.Validate(Rows.Street(), Rows.District()).IsValid);
        var grassroots = OrganizationRules.Validate(Rows.Grassroots(), Rows.Street());
        Assert.True(grassroots.IsValid, grassroots.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void A_level_outside_1_to_4_is_a_violation(int level)
    {
        var result = OrganizationRules.Validate(Rows.Street() with { Level = (OrganizationLevel)level });

        Assert.True(result.Concerns("level"), result.ToString());
        Assert.Contains($"is {level}", result.Violations.Single(v => v.Field == "level").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_city_federation_has_no_parent()
    {
        var withParent = OrganizationRules.Validate(Rows.City() with { ParentId = Rows.Id(99) });
        var givenParent = OrganizationRules.Validate(Rows.City(), Rows.District());

        Assert.True(withParent.Concerns("parent_id"));
        Assert.True(givenParent.Concerns("parent_id"));
    }

    [Theory]
    [InlineData(OrganizationLevel.District)]
    [InlineData(OrganizationLevel.Street)]
    [InlineData(OrganizationLevel.Grassroots)]
    public void Every_level_below_the_city_needs_a_parent(OrganizationLevel level)
    {
        var result = OrganizationRules.Validate(Rows.Grassroots() with { Level = level, ParentId = null });

        Assert.True(result.Concerns("parent_id"), result.ToString());
    }

    [Fact]
    public void An_organisation_is_not_its_own_parent()
    {
        var result = OrganizationRules.Validate(Rows.Street() with { ParentId = Rows.Street().Id });

        Assert.True(result.Concerns("parent_id"));
    }

    [Theory]
    [InlineData(OrganizationLevel.City)]
    [InlineData(OrganizationLevel.District)]
    [InlineData(OrganizationLevel.Grassroots)]
    public void The_parent_sits_exactly_one_level_above(OrganizationLevel parentLevel)
    {
        var parent = Rows.Street() with { Level = parentLevel };

        var result = OrganizationRules.Validate(Rows.Grassroots(), parent);

        Assert.True(result.Concerns("level"), result.ToString());
    }

    [Fact]
    public void The_parent_given_must_be_the_one_parent_id_names()
    {
        var result = OrganizationRules.Validate(Rows.Grassroots(), Rows.Street() with { Id = Rows.Id(77) });

        Assert.True(result.Concerns("parent_id"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("11010")]
    [InlineData("1101055")]
    [InlineData("11010A")]
    [InlineData("990105")]
    [InlineData("000000")]
    public void District_code_is_six_digits_of_a_known_province(string districtCode)
    {
        var result = OrganizationRules.Validate(Rows.Street() with { DistrictCode = districtCode });

        Assert.True(result.Concerns("district_code"), result.ToString());
    }

    [Theory]
    [InlineData("91110000600037341M", "check character")]
    [InlineData("9111000060003734", "16 characters")]
    [InlineData("", "empty")]
    [InlineData("91110000600037341l", "upper case")]
    public void Credit_code_is_null_or_a_valid_upper_case_code(string creditCode, string expected)
    {
        var result = OrganizationRules.Validate(Rows.Grassroots() with { CreditCode = creditCode });

        Assert.True(result.Concerns("credit_code"), result.ToString());
        Assert.Contains(expected, result.ToString(), StringComparison.Ordinal);
        Assert.True(OrganizationRules.Validate(Rows.Grassroots() with { CreditCode = null }).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" 工会")]
    [InlineData("工会\n委员会")]
    public void Name_is_non_empty_trimmed_and_on_one_line(string name)
    {
        var result = OrganizationRules.Validate(Rows.Street() with { Name = name });

        Assert.True(result.Concerns("name"), result.ToString());
    }

    [Fact]
    public void Name_is_at_most_200_characters()
    {
        Assert.True(OrganizationRules.Validate(Rows.Street() with { Name = new string('工', OrganizationRules.MaxNameLength) }).IsValid);
        Assert.True(OrganizationRules.Validate(Rows.Street() with { Name = new string('工', OrganizationRules.MaxNameLength + 1) }).Concerns("name"));
    }

    [Fact]
    public void An_undefined_status_is_a_violation()
    {
        var result = OrganizationRules.Validate(Rows.Street() with { Status = (OrganizationStatus)7 });

        Assert.True(result.Concerns("status"));
    }

    [Fact]
    public void A_dissolved_organisation_is_valid()
    {
        Assert.True(OrganizationRules.Validate(Rows.Grassroots() with { Status = OrganizationStatus.Dissolved }, Rows.Street()).IsValid);
    }

    [Fact]
    public void The_empty_uuid_is_no_id()
    {
        Assert.True(OrganizationRules.Validate(Rows.Street() with { Id = Guid.Empty }).Concerns("id"));
    }

    [Fact]
    public void Several_violations_are_all_reported()
    {
        var result = OrganizationRules.Validate(Rows.Street() with { Name = "", DistrictCode = "x", CreditCode = "bad" });

        Assert.Equal(["name", "district_code", "credit_code"], result.Violations.Select(v => v.Field));
    }
}
