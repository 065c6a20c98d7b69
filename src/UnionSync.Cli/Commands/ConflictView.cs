using System.Globalization;
using System.Text.Json;
using UnionSync.Domain;
using UnionSync.Sync.Changes;

namespace UnionSync.Cli.Commands;

/// <summary>
/// A conflict log entry as operators read it: the two versions column by column, ID numbers masked (DESIGN §3), and
/// which columns differ, so that a decision can be made without the full identity number ever reaching a terminal.
/// </summary>
internal static class ConflictView
{
    public static string Line(ConflictRecord c) => string.Create(
        CultureInfo.InvariantCulture,
        $"{c.Id,6}  {c.DetectedAt:yyyy-MM-dd HH:mm:ss}Z  {c.State,-8}  {c.Table,-13}  {c.Key:D}  {c.Kind,-22}  {c.Policy}");

    public static object Summary(ConflictRecord c) => new
    {
        id = c.Id,
        detectedAt = c.DetectedAt,
        state = c.State,
        table = c.Table,
        key = c.Key,
        kind = c.Kind,
        policy = c.Policy,
        outcome = c.Outcome,
    };

    public static object Detail(ConflictRecord c) => new
    {
        id = c.Id,
        detectedAt = c.DetectedAt,
        state = c.State,
        table = c.Table,
        key = c.Key,
        kind = c.Kind,
        policy = c.Policy,
        outcome = c.Outcome,
        parentNode = c.ParentNode,
        childNode = c.ChildNode,
        parentVersion = Masked(c.ParentVersion),
        childVersion = Masked(c.ChildVersion),
        parentIdentity = c.ParentIdentity?.ToString(),
        childIdentity = c.ChildIdentity?.ToString(),
        differingColumns = DifferingColumns(c),
    };

    public static void Write(TextWriter text, ConflictRecord c)
    {
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Conflict {c.Id}: {c.Kind} of {c.Table} {c.Key:D}, detected {c.DetectedAt:yyyy-MM-dd HH:mm:ss}Z"));
        text.WriteLine($"  policy   {c.Policy}, {c.State}");
        text.WriteLine($"  outcome  {c.Outcome}");
        text.WriteLine($"  parent   node {c.ParentNode:D}; version by {Origin(c.ParentIdentity)}");
        text.WriteLine($"  child    node {c.ChildNode:D}; version by {Origin(c.ChildIdentity)}");
        var parent = Masked(c.ParentVersion);
        var child = Masked(c.ChildVersion);
        var differing = DifferingColumns(c).ToHashSet(StringComparer.Ordinal);
        var columns = (parent?.Keys ?? Enumerable.Empty<string>()).Union(child?.Keys ?? Enumerable.Empty<string>(), StringComparer.Ordinal).ToList();
        if (columns.Count == 0)
        {
            return;
        }

        var width = Math.Max(columns.Max(n => n.Length), 6);
        text.WriteLine($"  {"column".PadRight(width)}  {"parent",-36}  child");
        foreach (var column in columns)
        {
            var mark = differing.Contains(column) ? "*" : " ";
            text.WriteLine($"{mark} {column.PadRight(width)}  {Cell(parent, column),-36}  {Cell(child, column)}");
        }

        text.WriteLine(c.ParentVersion is null ? "  (the parent's row is deleted)" : c.ChildVersion is null ? "  (the child deleted the row)" : "  * the columns that differ");
    }

    private static string Origin(VersionIdentity? identity) =>
        identity is { } id ? $"node {id.Node:D}, {id.ToClockString()}" : "no node (the initial version)";

    private static string Cell(Dictionary<string, string?>? version, string column) =>
        version is null ? "(deleted)" : version.TryGetValue(column, out var value) ? value ?? "NULL" : string.Empty;

    private static Dictionary<string, string?>? Masked(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            };
            values[property.Name] = property.Name == "id_number" ? Redact.IdNumber(value) : value;
        }

        return values;
    }

    /// <summary>Compared on the stored values, so that two ID numbers that mask alike still show as different.</summary>
    private static List<string> DifferingColumns(ConflictRecord c)
    {
        if (c.ParentVersion is null || c.ChildVersion is null)
        {
            return [];
        }

        using var parent = JsonDocument.Parse(c.ParentVersion);
        using var child = JsonDocument.Parse(c.ChildVersion);
        var differing = new List<string>();
        foreach (var property in parent.RootElement.EnumerateObject())
        {
            if (!child.RootElement.TryGetProperty(property.Name, out var other) || other.GetRawText() != property.Value.GetRawText())
            {
                differing.Add(property.Name);
            }
        }

        return differing;
    }
}
