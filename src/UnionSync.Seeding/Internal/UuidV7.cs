using System.Buffers.Binary;

namespace UnionSync.Seeding.Internal;

/// <summary>Version 7 UUIDs (RFC 9562) from a given millisecond and given random bits, so that they are reproducible.</summary>
internal static class UuidV7
{
    public static Guid Create(long unixMilliseconds, ulong randomA, ulong randomB)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ((ulong)unixMilliseconds << 16) | 0x7000UL | (randomA >> 52));
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (randomB & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The id of row <paramref name="index"/> of a table: time-ordered by index, random part from the seed.</summary>
    public static Guid ForRow(long epochMilliseconds, ulong seed, StreamTag tag, long index)
    {
        var a = StableHash.Combine(seed, (ulong)tag, (ulong)index);
        var b = StableHash.Mix(a ^ StableHash.Golden);
        return Create(epochMilliseconds + index, a, b);
    }
}
