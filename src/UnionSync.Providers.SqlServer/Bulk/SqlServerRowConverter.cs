using UnionSync.Sync.Errors;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>
/// Checks a row's values against <see cref="ColumnType"/>'s CLR types and copies them into a new array in the form
/// SqlBulkCopy sends: <see cref="DateOnly"/> becomes a midnight <see cref="DateTime"/> for a <c>date</c> column, a UTC
/// timestamp is truncated to the microseconds that <c>datetime2(6)</c> keeps (as every provider does, rather than leave
/// rounding to the driver), NULL becomes <see cref="DBNull"/>; a <see cref="long"/> of an added integer column is sent as
/// it is, and SqlBulkCopy refuses one outside the range of a narrower target column. Errors name the table, the column and the types, never the value.
/// </summary>
internal sealed class SqlServerRowConverter
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    private readonly TableDescription _table;

    public SqlServerRowConverter(TableDescription table)
    {
        _table = table;
    }

    /// <summary>The CLR type a column's converted value has: what <see cref="SqlServerChannelDataReader.GetFieldType"/> reports.</summary>
    public static Type ProviderType(ColumnType type) => type switch
    {
        ColumnType.Uuid => typeof(Guid),
        ColumnType.Text or ColumnType.FixedText => typeof(string),
        ColumnType.SmallInt => typeof(short),
        ColumnType.BigInt => typeof(long),
        ColumnType.Boolean => typeof(bool),
        ColumnType.Date or ColumnType.Timestamp => typeof(DateTime),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    /// <exception cref="ArgumentException">the row has the wrong number of values or a value of the wrong CLR type.</exception>
    /// <exception cref="ProviderException">a NOT NULL column has no value, or a fixed-length text is too long.</exception>
    public object[] Convert(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var columns = _table.Columns;
        if (values.Length != columns.Count)
        {
            throw new ArgumentException(
                $"A row of table {_table.Name} has {values.Length} values; the table has {columns.Count} columns.", nameof(values));
        }

        var row = new object[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            row[i] = ConvertValue(columns[i], values[i]);
        }

        return row;
    }

    private object ConvertValue(ColumnDescription column, object? value)
    {
        if (value is null or DBNull)
        {
            return column.Nullable
                ? DBNull.Value
                : throw new ProviderException(
                    $"Column {_table.Name}.{column.Name} does not allow NULL, and a row has none.",
                    ProviderErrorKind.NotNullViolation, isTransient: false, innerException: null);
        }

        return (column.Type, value) switch
        {
            (ColumnType.Uuid, Guid) => value,
            (ColumnType.Text, string) => value,
            (ColumnType.FixedText, string text) => CheckLength(column, text),
            (ColumnType.SmallInt, short) => value,
            (ColumnType.BigInt, long) => value,
            (ColumnType.Boolean, bool) => value,
            (ColumnType.Date, DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified),
            (ColumnType.Timestamp, DateTime { Kind: DateTimeKind.Utc } stamp) => new DateTime(stamp.Ticks - (stamp.Ticks % TicksPerMicrosecond), DateTimeKind.Utc),
            (ColumnType.Timestamp, DateTime stamp) => throw new ArgumentException(
                $"Column {_table.Name}.{column.Name} takes UTC timestamps; a row has a DateTime of kind {stamp.Kind}. " +
                "Give it DateTimeKind.Utc (ToUniversalTime() for a local time).",
                nameof(value)),
            _ => throw new ArgumentException(
                $"Column {_table.Name}.{column.Name} ({column.Type}) takes {ClrTypeName(column.Type)} values; a row has a {value.GetType().Name}.",
                nameof(value)),
        };
    }

    private string CheckLength(ColumnDescription column, string text) =>
        text.Length <= column.Length
            ? text
            : throw new ProviderException(
                $"Column {_table.Name}.{column.Name} is char({column.Length}); a row's value has {text.Length} characters.",
                ProviderErrorKind.Other, isTransient: false, innerException: null);

    private static string ClrTypeName(ColumnType type) => type switch
    {
        ColumnType.Date => nameof(DateOnly),
        ColumnType.Timestamp => "UTC " + nameof(DateTime),
        _ => ProviderType(type).Name,
    };
}
