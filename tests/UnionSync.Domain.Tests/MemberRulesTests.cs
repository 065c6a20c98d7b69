using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;
using UnionSync.Domain.Rules;

namespace UnionSync.Domain.Tests;

public sealed class MemberRulesTests
{
    [Fact]
    public void A_well_formed_member_of_a_grassroots_union_is_valid()
    {
        var result = MemberRules.Validate(Rows.Member(), Rows.Grassroots(), Rows.Today);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData(OrganizationLevel.City)]
    [InlineData(OrganizationLevel.District)]
    [InlineData(OrganizationLevel.Street)]
    public void A_member_belongs_to_a_level_4_organisation(OrganizationLevel level)
    {
        var result = MemberRules.Validate(Rows.Member(), Rows.Grassroots() with { Level = level }, Rows.Today);

        Assert.True(result.Concerns("organization_id"), result.ToString());
    }

    [Fact]
    public void The_organisation_given_must_be_the_one_organization_id_names()
    {
        var result = MemberRules.Validate(Rows.Member(), Rows.Grassroots() with { Id = Rows.Id(44) }, Rows.Today);

        Assert.True(result.Concerns("organization_id"));
    }

    [Fact]
    public void An_active_member_of_a_dissolved_union_is_a_violation()
    {
        var dissolved = Rows.Grassroots() with { Status = OrganizationStatus.Dissolved };

        Assert.True(MemberRules.Validate(Rows.Member(), dissolved, Rows.Today).Concerns("organization_id"));
    }

    [Theory]
    [InlineData(MemberStatus.Left)]
    [InlineData(MemberStatus.Transferred)]
    public void A_former_member_of_a_dissolved_union_is_valid(MemberStatus status)
    {
        var dissolved = Rows.Grassroots() with { Status = OrganizationStatus.Dissolved };

        Assert.True(MemberRules.Validate(Rows.Member() with { Status = status }, dissolved, Rows.Today).IsValid);
    }

    [Theory]
    [InlineData("11010519900517123")]
    [InlineData("110105199005171230")]
    [InlineData("11010519900230123X")]
    [InlineData("")]
    public void Id_number_must_be_valid_and_the_message_is_masked(string idNumber)
    {
        var result = MemberRules.Validate(Rows.Member() with { IdNumber = idNumber }, Rows.Today);

        Assert.True(result.Concerns("id_number"), result.ToString());
        if (idNumber.Length > 0)
        {
            Assert.DoesNotContain(idNumber, result.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_stored_id_number_ends_in_an_upper_case_X()
    {
        var lower = MemberRules.Validate(Rows.Member() with { IdNumber = "11010519491231002x", JoinDate = new DateOnly(1990, 1, 1) }, Rows.Today);
        var upper = MemberRules.Validate(Rows.Member() with { IdNumber = "11010519491231002X", JoinDate = new DateOnly(1990, 1, 1) }, Rows.Today);

        Assert.True(lower.Concerns("id_number"));
        Assert.True(upper.IsValid, upper.ToString());
    }

    [Fact]
    public void A_birth_date_after_today_is_a_violation()
    {
        var unborn = ChineseIdNumber.Create("110105", Rows.Today.AddDays(1), 1);

        Assert.True(MemberRules.Validate(Rows.Member() with { IdNumber = unborn }, Rows.Today).Concerns("id_number"));
    }

    [Fact]
    public void Join_date_on_the_16th_birthday_is_valid_and_the_day_before_is_not()
    {
        // Rows.MemberIdNumber was born on 17 May 1990.
        Assert.True(MemberRules.Validate(Rows.Member() with { JoinDate = new DateOnly(2006, 5, 17) }, Rows.Today).IsValid);
        var result = MemberRules.Validate(Rows.Member() with { JoinDate = new DateOnly(2006, 5, 16) }, Rows.Today);
        Assert.True(result.Concerns("join_date"));
        Assert.DoesNotContain(Rows.MemberIdNumber, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Join_date_today_is_valid_and_tomorrow_is_not()
    {
        Assert.True(MemberRules.Validate(Rows.Member() with { JoinDate = Rows.Today }, Rows.Today).IsValid);
        Assert.True(MemberRules.Validate(Rows.Member() with { JoinDate = Rows.Today.AddDays(1) }, Rows.Today).Concerns("join_date"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("13812345678")]
    [InlineData("0571-87654321")]
    public void Phone_is_null_or_a_normalised_mainland_number(string? phone)
    {
        Assert.True(MemberRules.Validate(Rows.Member() with { Phone = phone }, Rows.Today).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12812345678")]
    [InlineData("+8613812345678")]
    [InlineData("138 1234 5678")]
    public void A_phone_that_is_invalid_or_not_normalised_is_a_violation_and_stays_masked(string phone)
    {
        var result = MemberRules.Validate(Rows.Member() with { Phone = phone }, Rows.Today);

        Assert.True(result.Concerns("phone"), result.ToString());
        if (phone.Length > 0)
        {
            Assert.DoesNotContain("12345678", result.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("91110000600037341M")]
    [InlineData("91110000600037341l")]
    [InlineData("")]
    public void Employer_code_is_null_or_a_valid_credit_code(string employerCode)
    {
        Assert.True(MemberRules.Validate(Rows.Member() with { EmployerCode = employerCode }, Rows.Today).Concerns("employer_code"));
        Assert.True(MemberRules.Validate(Rows.Member() with { EmployerCode = null }, Rows.Today).IsValid);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(5, true)]
    [InlineData(-1, false)]
    [InlineData(6, false)]
    public void Skill_level_is_0_to_5(int skillLevel, bool valid)
    {
        var result = MemberRules.Validate(Rows.Member() with { SkillLevel = skillLevel }, Rows.Today);

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(!valid, result.Concerns("skill_level"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("张伟 ")]
    public void Name_is_non_empty_and_trimmed(string name)
    {
        var result = MemberRules.Validate(Rows.Member() with { Name = name }, Rows.Today);

        Assert.True(result.Concerns("name"));
    }

    [Fact]
    public void Name_is_at_most_100_characters()
    {
        var name = new string('伟', MemberRules.MaxNameLength);

        Assert.True(MemberRules.Validate(Rows.Member() with { Name = name }, Rows.Today).IsValid);
        Assert.True(MemberRules.Validate(Rows.Member() with { Name = name + "伟" }, Rows.Today).Concerns("name"));
    }

    [Fact]
    public void An_undefined_status_and_empty_ids_are_violations()
    {
        var result = MemberRules.Validate(Rows.Member() with { Status = (MemberStatus)9, Id = Guid.Empty, OrganizationId = Guid.Empty }, Rows.Today);

        Assert.True(result.Concerns("status"));
        Assert.True(result.Concerns("id"));
        Assert.True(result.Concerns("organization_id"));
    }
}
