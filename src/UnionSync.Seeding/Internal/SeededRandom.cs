namespace UnionSync.Seeding.Internal;

/// <summary>
/// A SplitMix64 generator. Unlike <see cref="Random"/> its sequence is fixed here, not by the runtime, so a seed
/// means the same data forever. A mutable struct: pass it by <c>ref</c>.
/// </summary>
internal struct SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed)
    {
        _state = seed;
    }

    public static SeededRandom For(ulong seed, StreamTag tag, ulong index) => new(StableHash.Combine(seed, (ulong)tag, index));

    public ulong NextUInt64()
    {
        _state += StableHash.Golden;
        return StableHash.Mix(_state);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>) by the multiply-high method.</summary>
    public ulong NextBelow(ulong maxExclusive) => Math.BigMul(NextUInt64(), maxExclusive, out _);

    public int NextInt(int maxExclusive) => (int)NextBelow((ulong)maxExclusive);

    /// <summary>A value in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public int NextInclusive(int min, int max) => min + (int)NextBelow((ulong)((long)max - min + 1));

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;
}
