using System.Globalization;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite;

/// <summary>
/// The text and integer forms SQLite stores for each <see cref="ColumnType"/> (DESIGN §3): lowercase UUID text,
/// <c>2025-05-05</c>, <c>2026-01-01T08:30:00Z</c> (or <c>…:00.123456Z</c> when the microseconds are not zero), 0/1,
/// and their conversion back to the CLR types. Timestamps must be UTC and are truncated to microseconds.
/// </summary>
public static class SqliteStoredForm
{
    /// <summary>The longest UTF-8 form of a UUID, date or timestamp.</summary>
    internal const int MaxFormattedLength = 36;

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The stored form of a row value: <see cref="DBNull.Value"/>, a <see cref="string"/> or a <see cref="long"/>.</summary>
    /// <exception cref="ArgumentException">the value is not of the column type's CLR type, or a timestamp is not UTC.</exception>
    public static object ToStored(object? value, ColumnDescription column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (value is null || value is DBNull)
        {
            return DBNull.Value;
        }

        try
        {
            return column.Type switch
            {
                ColumnType.Uuid => FormatUuid((Guid)value),
                ColumnType.Text or ColumnType.FixedText => (string)value,
                ColumnType.SmallInt => (long)(short)value,
                ColumnType.BigInt => (long)value,
                ColumnType.Boolean => (bool)value ? 1L : 0L,
                ColumnType.Date => FormatDate((DateOnly)value),
                ColumnType.Timestamp => FormatTimestamp((DateTime)value),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
            };
        }
        catch (InvalidCastException ex)
        {
            throw WrongType(column, value, ex);
        }
    }

    /// <summary>The CLR value of a stored form read back (null for <see cref="DBNull"/>).</summary>
    public static object? FromStored(object? stored, ColumnDescription column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (stored is null || stored is DBNull)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.Uuid => ParseUuid((string)stored),
            ColumnType.Text or ColumnType.FixedText => (string)stored,
            ColumnType.SmallInt => checked((short)Convert.ToInt64(stored, CultureInfo.InvariantCulture)),
            ColumnType.BigInt => Convert.ToInt64(stored, CultureInfo.InvariantCulture),
            ColumnType.Boolean => Convert.ToInt64(stored, CultureInfo.InvariantCulture) != 0,
            ColumnType.Date => ParseDate((string)stored),
            ColumnType.Timestamp => ParseTimestamp((string)stored),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    public static string FormatUuid(Guid value) => value.ToString("D");

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <exception cref="ArgumentException">the value's Kind is not <see cref="DateTimeKind.Utc"/>.</exception>
    public static string FormatTimestamp(DateTime value)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        var length = WriteTimestamp(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..length]);
    }

    /// <summary>Drops the part of <paramref name="value"/> below a microsecond, as every writer does.</summary>
    public static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TicksPerMicrosecond), value.Kind);

    public static Guid ParseUuid(string text) => Guid.ParseExact(text, "D");

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>YYYY-MM-DDTHH:MM:SSZ</c> or <c>YYYY-MM-DDTHH:MM:SS.ffffffZ</c> into a UTC <see cref="DateTime"/>.</summary>
    /// <exception cref="FormatException">the text has another shape.</exception>
    public static DateTime ParseTimestamp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.AsSpan();
        if ((s.Length != 20 && s.Length != 27) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z'
            || (s.Length == 27 && s[19] != '.'))
        {
            throw new FormatException("A stored timestamp is not of the form YYYY-MM-DDTHH:MM:SS[.ffffff]Z.");
        }

        var value = new DateTime(
            Digits(s, 0, 4), Digits(s, 5, 2), Digits(s, 8, 2), Digits(s, 11, 2), Digits(s, 14, 2), Digits(s, 17, 2), DateTimeKind.Utc);
        return s.Length == 27 ? value.AddTicks(Digits(s, 20, 6) * TicksPerMicrosecond) : value;
    }

    /// <summary>Writes the UTF-8 stored form of a UUID into <paramref name="destination"/> (36 bytes).</summary>
    internal static int WriteUuid(Guid value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, "D");
        return written;
    }

    internal static int WriteDate(DateOnly value, Span<byte> destination)
    {
        var (year, month, day) = value;
        WriteDigits(destination, 0, year, 4);
        destination[4] = (byte)'-';
        WriteDigits(destination, 5, month, 2);
        destination[7] = (byte)'-';
        WriteDigits(destination, 8, day, 2);
        return 10;
    }

    internal static int WriteTimestamp(DateTime value, Span<byte> destination)
    {
        if (value.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"A timestamp must be a UTC DateTime (Kind=Utc); this one has Kind={value.Kind}.", nameof(value));
        }

        var (date, time) = value;
        WriteDate(date, destination);
        destination[10] = (byte)'T';
        WriteDigits(destination, 11, time.Hour, 2);
        destination[13] = (byte)':';
        WriteDigits(destination, 14, time.Minute, 2);
        destination[16] = (byte)':';
        WriteDigits(destination, 17, time.Second, 2);
        var microseconds = (int)(value.Ticks % TimeSpan.TicksPerSecond / TicksPerMicrosecond);
        if (microseconds == 0)
        {
            destination[19] = (byte)'Z';
            return 20;
        }

        destination[19] = (byte)'.';
        WriteDigits(destination, 20, microseconds, 6);
        destination[26] = (byte)'Z';
        return 27;
    }

    internal static ArgumentException WrongType(ColumnDescription column, object value, Exception? inner) =>
        new($"Column {column.Name} is {column.Type} and takes a {ClrTypeName(column.Type)}; the row has a {value.GetType().Name}.", inner);

    private static string ClrTypeName(ColumnType type) => type switch
    {
        ColumnType.Uuid => nameof(Guid),
        ColumnType.Text or ColumnType.FixedText => nameof(String),
        ColumnType.SmallInt => nameof(Int16),
        ColumnType.BigInt => nameof(Int64),
        ColumnType.Boolean => nameof(Boolean),
        ColumnType.Date => nameof(DateOnly),
        ColumnType.Timestamp => "UTC DateTime",
        _ => type.ToString(),
    };

    private static void WriteDigits(Span<byte> destination, int offset, int value, int count)
    {
        for (var i = offset + count - 1; i >= offset; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static int Digits(ReadOnlySpan<char> s, int offset, int count)
    {
        var value = 0;
        for (var i = offset; i < offset + count; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                throw new FormatException("A stored timestamp has a non-digit where a digit belongs.");
            }

            value = (value * 10) + digit;
        }

        return value;
    }
}
