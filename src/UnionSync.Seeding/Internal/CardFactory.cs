using System.Globalization;
using UnionSync.Domain.Identity;
using UnionSync.Domain.Model;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Makes card c of the federation for its member: a 19-digit number (bank BIN, 12 digits that a keyed permutation
/// of c makes unique, Luhn check digit), issued after joining, valid for some years. A member who left holds no
/// active card: theirs is cancelled.
/// </summary>
internal sealed class CardFactory(GenerationPlan plan)
{
    private readonly CompiledProfile _profile = plan.Profile;

    public ServiceCard Create(long index, Member member)
    {
        var source = _profile.Source;
        var random = SeededRandom.For(plan.Seed, StreamTag.Card, (ulong)index);
        var bank = _profile.Banks.Pick(ref random);
        var number = Number(bank.Bin, plan.CardNumbers.Permute((ulong)index));

        var latest = plan.Reference.AddDays(-1);
        var earliest = member.JoinDate > source.CardProgramStart ? member.JoinDate : source.CardProgramStart;
        var issued = Timestamps.Between(earliest > latest ? latest : earliest, latest, ref random);
        var expiry = issued.AddYears(source.CardValidityYears);

        var draw = random.NextDouble();
        var status = member.Status == MemberStatus.Left ? CardStatus.Cancelled
            : draw < source.CardLostShare ? CardStatus.Lost
            : draw < source.CardLostShare + source.CardCancelledShare ? CardStatus.Cancelled
            : CardStatus.Active;
        var created = Timestamps.Entered(issued, source.PlatformLaunch, plan.Reference, ref random);
        var updated = Timestamps.Updated(created, plan.ReferenceInstant, source.UnchangedRowShare, ref random);
        return new ServiceCard(
            UuidV7.ForRow(_profile.LaunchMilliseconds, plan.Seed, StreamTag.CardId, index),
            member.Id,
            number,
            bank.Name,
            issued,
            expiry,
            status,
            created,
            updated);
    }

    private static string Number(string bin, ulong account)
    {
        Span<char> digits = stackalloc char[19];
        bin.AsSpan().CopyTo(digits);
        account.TryFormat(digits[6..18], out _, "D12", CultureInfo.InvariantCulture);
        digits[18] = Luhn.ComputeCheckDigit(digits[..18]);
        return new string(digits);
    }
}
