using System.Globalization;
using UnionSync.Domain.Identity;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// Hands out GB 11643 identity numbers that are unique by construction: the n-th person of a birth region gets
/// the n-th value of a keyed permutation of that region's (birth date, sequence) pairs. Memory is one counter per
/// region, whatever the number of members.
/// </summary>
internal sealed class IdentityAllocator
{
    private const int SequencesPerDay = 999;

    private readonly string[] _regionCodes;
    private readonly long[] _counters;
    private readonly FeistelPermutation[] _permutations;
    private readonly int _earliestBirthDay;
    private readonly ulong _capacity;

    public IdentityAllocator(IReadOnlyList<string> regionCodes, DateOnly earliestBirth, DateOnly latestBirth, ulong seed)
    {
        _regionCodes = [.. regionCodes];
        _counters = new long[_regionCodes.Length];
        _earliestBirthDay = earliestBirth.DayNumber;
        var days = latestBirth.DayNumber - earliestBirth.DayNumber + 1;
        _capacity = (ulong)days * SequencesPerDay;
        _permutations = new FeistelPermutation[_regionCodes.Length];
        for (var i = 0; i < _permutations.Length; i++)
        {
            _permutations[i] = new FeistelPermutation(_capacity, StableHash.Combine(seed, (ulong)StreamTag.BirthRegion, (ulong)i));
        }
    }

    /// <summary>How many people all regions together can hold.</summary>
    public ulong TotalCapacity => _capacity * (ulong)_regionCodes.Length;

    /// <summary>The next identity of <paramref name="regionIndex"/>, or of the next region with room when it is full.</summary>
    public AllocatedIdentity Allocate(int regionIndex)
    {
        for (var tried = 0; tried < _regionCodes.Length; tried++)
        {
            if ((ulong)_counters[regionIndex] < _capacity)
            {
                var slot = _permutations[regionIndex].Permute((ulong)_counters[regionIndex]++);
                var birth = DateOnly.FromDayNumber(_earliestBirthDay + (int)(slot / SequencesPerDay));
                var sequence = (int)(slot % SequencesPerDay) + 1;
                return new AllocatedIdentity(Format(_regionCodes[regionIndex], birth, sequence), birth, (sequence & 1) == 1, regionIndex);
            }

            regionIndex = (regionIndex + 1) % _regionCodes.Length;
        }

        throw new InvalidOperationException("Every birth region is full; the generator's member limit is below this capacity.");
    }

    private static string Format(string region, DateOnly birth, int sequence)
    {
        Span<char> id = stackalloc char[ChineseIdNumber.Length];
        region.AsSpan().CopyTo(id);
        birth.TryFormat(id[6..14], out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        sequence.TryFormat(id[14..17], out _, "D3", CultureInfo.InvariantCulture);
        id[17] = ChineseIdNumber.ComputeCheckCharacter(id[..17]);
        return new string(id);
    }
}
