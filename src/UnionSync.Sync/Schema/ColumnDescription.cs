namespace UnionSync.Sync.Schema;

/// <summary>One column of a synced table. <paramref name="Length"/> is the exact length of a <see cref="ColumnType.FixedText"/>.</summary>
public sealed record ColumnDescription(string Name, ColumnType Type, bool Nullable, int Length = 0);
