using System.Globalization;
using System.Text;
using System.Text.Json;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>A row's values as one JSON object keyed by column name, as the conflict log stores a version.</summary>
internal static class RowJson
{
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
