using System.Numerics;

namespace UnionSync.Seeding.Internal;

/// <summary>
/// A keyed bijection of [0, size): a balanced Feistel network over the next even power of two, with cycle walking
/// back into range. It makes counters look random while keeping them unique, with no memory that grows.
/// </summary>
internal sealed class FeistelPermutation
{
    private const int Rounds = 6;

    private readonly ulong _size;
    private readonly int _halfBits;
    private readonly ulong _mask;
    private readonly ulong[] _keys = new ulong[Rounds];

    public FeistelPermutation(ulong size, ulong key)
    {
        ArgumentOutOfRangeException.ThrowIfZero(size);
        _size = size;
        var bits = size <= 4 ? 2 : 64 - BitOperations.LeadingZeroCount(size - 1);
        if ((bits & 1) == 1)
        {
            bits++;
        }

        _halfBits = bits / 2;
        _mask = (1UL << _halfBits) - 1;
        for (var i = 0; i < Rounds; i++)
        {
            _keys[i] = StableHash.Combine(key, (ulong)i + 1);
        }
    }

    public ulong Size => _size;

    public ulong Permute(ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, _size);
        do
        {
            value = Encrypt(value);
        }
        while (value >= _size);

        return value;
    }

    private ulong Encrypt(ulong value)
    {
        var left = value >> _halfBits;
        var right = value & _mask;
        foreach (var key in _keys)
        {
            var next = left ^ (StableHash.Mix(right ^ key) & _mask);
            left = right;
            right = next;
        }

        return (left << _halfBits) | right;
    }
}
