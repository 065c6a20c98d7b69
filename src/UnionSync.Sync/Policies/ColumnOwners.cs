using System.Text.RegularExpressions;
using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Policies;

/// <summary>
/// The owners a column can have under field authority (DESIGN §6): the parent tier, the child tier, or a partner source
/// by name. A source's values arrive at the hub and travel down through parents, so on an edge a source-owned column
/// goes the parent's way when both sides changed it.
/// </summary>
public static partial class ColumnOwners
{
    public const string Parent = "parent";

    public const string Child = "child";

    /// <summary>Whether the parent's value of a contested column owned by <paramref name="owner"/> stands.</summary>
    public static bool ParentHolds(string owner) => !string.Equals(owner, Child, StringComparison.Ordinal);

    /// <exception cref="SyncConfigurationException">not parent, child or a source name.</exception>
    public static string Parse(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!SourceName().IsMatch(owner))
        {
            throw new SyncConfigurationException(
                $"'{owner}' is not a column owner; use parent, child or a partner source's name (lowercase letters, digits, '-' and '_', starting with a letter).");
        }

        return owner;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();
}
