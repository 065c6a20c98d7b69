namespace UnionSync.Seeding.Internal;

/// <summary>
/// SplitMix64 finalisers: the only source of randomness of the generator. Pure integer arithmetic, so the same
/// inputs give the same outputs on every machine and runtime.
/// </summary>
internal static class StableHash
{
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b + Golden));

    public static ulong Combine(ulong a, ulong b, ulong c) => Combine(Combine(a, b), c);
}
