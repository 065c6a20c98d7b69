using System.Globalization;
using System.Text;
using System.Text.Json;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>A row's values as one JSON object keyed by column name, as the conflict log stores a version.</summary>
internal static class RowJson
{
    /// <summary>The values back, typed as <see cref="ColumnType"/> says, in the table's column order.</summary>
    /// <exception cref="FormatException">the JSON lacks a column or holds a value of the wrong form.</exception>
    public static object?[] Read(TableDescription table, string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new object?[table.Columns.Count];
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            if (!document.RootElement.TryGetProperty(column.Name, out var element))
            {
                throw new FormatException($"The stored version of a {table.Name} row has no column {column.Name}.");
            }

            values[i] = element.ValueKind == JsonValueKind.Null ? null : column.Type switch
            {
                ColumnType.Uuid => element.GetGuid(),
                ColumnType.SmallInt => element.GetInt16(),
                ColumnType.BigInt => element.GetInt64(),
                ColumnType.Boolean => element.GetBoolean(),
                ColumnType.Date => DateOnly.ParseExact(element.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                ColumnType.Timestamp => DateTime.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                _ => element.GetString(),
            };
        }

        return values;
    }

    public static string Write(TableDescription table, object?[] values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            for (var i = 0; i < table.Columns.Count && i < values.Length; i++)
            {
                writer.WritePropertyName(table.Columns[i].Name);
                switch (values[i])
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case bool b:
                        writer.WriteBooleanValue(b);
                        break;
                    case short s:
                        writer.WriteNumberValue(s);
                        break;
                    case int n:
                        writer.WriteNumberValue(n);
                        break;
                    case long l:
                        writer.WriteNumberValue(l);
                        break;
                    case Guid g:
                        writer.WriteStringValue(g.ToString("D"));
                        break;
                    case DateOnly d:
                        writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        break;
                    case DateTime t:
                        writer.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
                        break;
                    case var other:
                        writer.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture));
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
