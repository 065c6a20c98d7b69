using System.Text.RegularExpressions;
using UnionSync.Domain;
using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Tests;

public sealed partial class GeneratedIdentifiers
{
    private static readonly GeneratorOptions Options = new() { Members = 20_000, Seed = 3 };

    [Fact]
    public void every_id_number_passes_gb_11643_and_gives_an_age_of_18_to_65()
    {
        var count = 0;
        foreach (var member in FederationGenerator.EnumerateMembers(Options))
        {
            var result = ChineseIdNumber.Validate(member.IdNumber, Options.ReferenceDate);
            Assert.True(result.IsValid, result.Error);
            Assert.InRange(result.Value!.AgeOn(Options.ReferenceDate), 18, 65);
            count++;
        }

        Assert.Equal(20_000, count);
    }

    [Fact]
    public void id_numbers_are_unique_among_200_thousand_members()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sexes = new int[2];
        foreach (var member in FederationGenerator.EnumerateMembers(new GeneratorOptions { Members = 200_000, Seed = 5 }))
        {
            Assert.True(seen.Add(member.IdNumber), $"{Redact.IdNumber(member.IdNumber)} was generated twice");
            sexes[(member.IdNumber[16] - '0') % 2]++;
        }

        Assert.Equal(200_000, seen.Count);
        Assert.InRange(sexes[1] / 200_000.0, 0.47, 0.53);
    }

    [Fact]
    public void every_grassroots_union_has_a_valid_unique_credit_code()
    {
        var organizations = FederationGenerator.EnumerateOrganizations(Options).ToList();
        var codes = organizations.Where(o => o.CreditCode is not null).Select(o => o.CreditCode!).ToList();

        Assert.All(organizations.Where(o => o.Level == OrganizationLevel.Grassroots), o => Assert.NotNull(o.CreditCode));
        Assert.All(codes, code => Assert.True(UnifiedSocialCreditCode.IsValid(code), UnifiedSocialCreditCode.Validate(code).Error));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(organizations, o => Assert.Matches(SixDigits(), o.DistrictCode));
    }

    [Fact]
    public void every_card_number_is_19_digits_passes_luhn_and_is_unique()
    {
        var banks = Options.Profile.Banks.ToDictionary(b => b.Name, b => b.Bin);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in FederationGenerator.EnumerateServiceCards(Options))
        {
            Assert.Matches(NineteenDigits(), card.CardNumber);
            Assert.True(Luhn.IsValid(card.CardNumber), $"card number ending {card.CardNumber[^4..]} fails Luhn");
            Assert.StartsWith(banks[card.Bank], card.CardNumber, StringComparison.Ordinal);
            Assert.True(numbers.Add(card.CardNumber));
            Assert.True(card.ExpiryDate > card.IssueDate);
        }

        Assert.NotEmpty(numbers);
    }

    [Fact]
    public void phones_are_mainland_mobiles_and_employer_codes_are_the_unions_own()
    {
        var codes = FederationGenerator.EnumerateOrganizations(Options).ToDictionary(o => o.Id, o => o.CreditCode);
        var withPhone = 0;
        foreach (var member in FederationGenerator.EnumerateMembers(Options))
        {
            if (member.Phone is not null)
            {
                Assert.Matches(Mobile(), member.Phone);
                withPhone++;
            }

            if (member.EmployerCode is not null)
            {
                Assert.Equal(codes[member.OrganizationId], member.EmployerCode);
            }
        }

        Assert.InRange(withPhone / 20_000.0, 0.85, 0.99);
    }

    [Fact]
    public void ids_are_unique_time_ordered_version_7_uuids()
    {
        var ids = FederationGenerator.EnumerateOrganizations(Options).Select(o => o.Id)
            .Concat(FederationGenerator.EnumerateMembers(Options).Select(m => m.Id))
            .Concat(FederationGenerator.EnumerateServiceCards(Options).Select(c => c.Id))
            .ToList();

        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.InRange(id.Variant, 8, 11));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var members = FederationGenerator.EnumerateMembers(Options).Select(m => m.Id.ToString("D")).ToList();
        Assert.Equal(members.Order(StringComparer.Ordinal), members);
    }

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

    [GeneratedRegex("^[0-9]{19}$")]
    private static partial Regex NineteenDigits();

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
