namespace UnionSync.Sync.Engine;

/// <summary>
/// The order of keys as the providers stream them (primary-key order of a UUID, which is the order of its canonical
/// lowercase text and of its big-endian bytes), for merge-joins of two streams.
/// </summary>
internal sealed class KeyOrder : IComparer<Guid>
{
    public static KeyOrder Instance { get; } = new();

    public int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }
}
