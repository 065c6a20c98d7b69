using System.Globalization;

namespace UnionSync.Seeding.Tests;

/// <summary>A row as one exact text (ticks for timestamps, so that nothing is rounded away), to compare rows across runs and databases.</summary>
internal static class RowText
{
    public static string Of(object?[] row) => string.Join('|', row.Select(Value));

    public static string Value(object? value) => value switch
    {
        null => "<null>",
        Guid g => g.ToString("D"),
        DateTime t => string.Create(CultureInfo.InvariantCulture, $"{t.Ticks}{(t.Kind == DateTimeKind.Local ? "L" : string.Empty)}"),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        short s => s.ToString(CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        _ => throw new InvalidOperationException($"A row value of type {value.GetType()} is not a type of the synced tables."),
    };
}
