using UnionSync.Domain.Rules;

namespace UnionSync.Domain.Tests;

public sealed class TimestampRulesTests
{
    private static readonly DateTime Local = new(2025, 1, 1, 8, 0, 0, DateTimeKind.Local);

    private static readonly DateTime Unspecified = new(2025, 1, 1, 8, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void Updated_at_equal_to_created_at_is_valid_in_every_table()
    {
        Assert.True(OrganizationRules.Validate(Rows.City() with { UpdatedAt = Rows.CreatedAt }).IsValid);
        Assert.True(MemberRules.Validate(Rows.Member() with { UpdatedAt = Rows.CreatedAt }, Rows.Today).IsValid);
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { UpdatedAt = Rows.CreatedAt }).IsValid);
    }

    [Fact]
    public void Updated_at_before_created_at_is_a_violation_in_every_table()
    {
        var before = Rows.CreatedAt.AddSeconds(-1);

        Assert.True(OrganizationRules.Validate(Rows.City() with { UpdatedAt = before }).Concerns("updated_at"));
        Assert.True(MemberRules.Validate(Rows.Member() with { UpdatedAt = before }, Rows.Today).Concerns("updated_at"));
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { UpdatedAt = before }).Concerns("updated_at"));
    }

    [Fact]
    public void Timestamps_that_are_not_UTC_are_violations()
    {
        var result = OrganizationRules.Validate(Rows.City() with { CreatedAt = Unspecified, UpdatedAt = Local });

        Assert.True(result.Concerns("created_at"));
        Assert.True(result.Concerns("updated_at"));
        Assert.Contains("Unspecified", result.ToString(), StringComparison.Ordinal);
        Assert.True(MemberRules.Validate(Rows.Member() with { CreatedAt = Local, UpdatedAt = Local }, Rows.Today).Concerns("created_at"));
        Assert.True(ServiceCardRules.Validate(Rows.Card() with { CreatedAt = Unspecified, UpdatedAt = Unspecified }).Concerns("updated_at"));
    }
}
