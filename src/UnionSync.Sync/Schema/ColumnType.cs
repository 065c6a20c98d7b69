namespace UnionSync.Sync.Schema;

/// <summary>
/// The provider-neutral types of the synced columns and the CLR type a row value of each has:
/// <see cref="Uuid"/> is <see cref="Guid"/>, <see cref="Text"/> and <see cref="FixedText"/> are <see cref="string"/>,
/// <see cref="SmallInt"/> is <see cref="short"/>, <see cref="BigInt"/> is <see cref="long"/>, <see cref="Boolean"/> is <see cref="bool"/>,
/// <see cref="Date"/> is <see cref="DateOnly"/> and <see cref="Timestamp"/> is a UTC <see cref="DateTime"/>.
/// </summary>
public enum ColumnType
{
    Uuid,
    Text,
    FixedText,
    SmallInt,
    Boolean,
    Date,
    Timestamp,

    /// <summary>A 64-bit integer: the type an added integer column syncs as (the contract's own columns use <see cref="SmallInt"/>).</summary>
    BigInt,
}
