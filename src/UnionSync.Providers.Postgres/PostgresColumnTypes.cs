using NpgsqlTypes;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres;

/// <summary>The PostgreSQL type of each <see cref="ColumnType"/>; writers name it explicitly (DESIGN §7: char(18) is text, never a .NET char).</summary>
public static class PostgresColumnTypes
{
    public static NpgsqlDbType ToNpgsqlDbType(ColumnType type) => type switch
    {
        ColumnType.Uuid => NpgsqlDbType.Uuid,
        ColumnType.Text => NpgsqlDbType.Text,
        ColumnType.FixedText => NpgsqlDbType.Char,
        ColumnType.SmallInt => NpgsqlDbType.Smallint,
        ColumnType.BigInt => NpgsqlDbType.Bigint,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <summary>Checks that a timestamp is UTC and drops the part below a microsecond (PostgreSQL's precision).</summary>
    /// <exception cref="ArgumentException">the value's Kind is not <see cref="DateTimeKind.Utc"/>.</exception>
    public static DateTime ToStoredTimestamp(DateTime value)
    {
        if (value.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"A timestamp must be a UTC DateTime (Kind=Utc); this one has Kind={value.Kind}.", nameof(value));
        }

        return new DateTime(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);
    }
}
