using System.Buffers;
using System.Text;
using System.Text.Json;

namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// Many keys or values as one parameter: a JSON array of their stored text, which a statement reads back with
/// <c>json_each(@keys)</c> (its <c>value</c> is the text, its <c>key</c> the position). One statement per chunk of keys
/// instead of one per key.
/// </summary>
internal static class SqliteJsonArray
{
    /// <summary>Keys per statement: a batch of 5,000 takes three, and the array text stays under 80 KB.</summary>
    public const int Chunk = 2_000;

    /// <summary>The keys in their stored form (<see cref="SqliteStoredForm.FormatUuid"/>), in the given order.</summary>
    public static string OfKeys(IEnumerable<Guid> keys) => Of(keys.Select(SqliteStoredForm.FormatUuid));

    public static string Of(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
