using System.Globalization;
using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Makes member n of the federation. Everything but the identity number comes from member n's own random stream,
/// so the card pass can make the same member again without having stored it.
/// </summary>
internal sealed class MemberFactory(GenerationPlan plan, IdentityAllocator identities)
{
    private readonly CompiledProfile _profile = plan.Profile;

    public Member Create(long index, GrassrootsUnion union)
    {
        var source = _profile.Source;
        var random = SeededRandom.For(plan.Seed, StreamTag.Member, (ulong)index);
        var identity = identities.Allocate(_profile.BirthRegions.PickIndex(ref random));
        var local = identity.RegionIndex < _profile.LocalRegionCount;
        var name = Name(identity.Male, ref random);
        var phone = random.Chance(source.PhoneMissingShare) ? null : Phone(ref random);
        var organization = union.Organization;
        var employerCode = random.Chance(source.EmployerCodeMissingShare) ? null : organization.CreditCode;

        // Joined after the 16th birthday and before the reference date, more often recently than long ago.
        var earliest = identity.BirthDate.AddYears(16);
        var latest = plan.Reference.AddDays(-1);
        var recentness = Math.Max(random.NextDouble(), random.NextDouble());
        var joinDate = DateOnly.FromDayNumber(earliest.DayNumber + (int)(recentness * (latest.DayNumber - earliest.DayNumber)));

        var status = organization.Status == OrganizationStatus.Dissolved
            ? (random.Chance(0.7) ? MemberStatus.Left : MemberStatus.Transferred)
            : _profile.MemberStatuses.Pick(ref random);
        var migrant = random.Chance(local ? source.MigrantShareLocal : source.MigrantShareNonLocal);
        var skill = _profile.SkillLevels.Pick(ref random);
        var created = Timestamps.Entered(joinDate, source.PlatformLaunch, plan.Reference, ref random);
        var updated = Timestamps.Updated(created, plan.ReferenceInstant, source.UnchangedRowShare, ref random);
        return new Member(
            UuidV7.ForRow(_profile.LaunchMilliseconds, plan.Seed, StreamTag.MemberId, index),
            organization.Id,
            name,
            identity.Value,
            phone,
            employerCode,
            joinDate,
            status,
            migrant,
            skill,
            created,
            updated);
    }

    private string Name(bool male, ref SeededRandom random)
    {
        var source = _profile.Source;
        var characters = male ? source.MaleGivenNameCharacters : source.FemaleGivenNameCharacters;
        var surname = _profile.Surnames.Pick(ref random);
        var first = characters[random.NextInt(characters.Length)];
        if (random.Chance(source.SingleCharacterGivenNameShare))
        {
            return string.Concat(surname, first.ToString());
        }

        var second = characters[random.NextInt(characters.Length)];
        return string.Create(surname.Length + 2, (surname, first, second), static (span, state) =>
        {
            state.surname.AsSpan().CopyTo(span);
            span[^2] = state.first;
            span[^1] = state.second;
        });
    }

    private string Phone(ref SeededRandom random)
    {
        var prefixes = _profile.Source.MobilePrefixes;
        var prefix = prefixes[random.NextInt(prefixes.Count)];
        var subscriber = random.NextBelow(100_000_000);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{subscriber:D8}");
    }
}
