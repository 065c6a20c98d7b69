using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Policies;

/// <summary>The policies' names as the command line, the policy table and the conflict log write them.</summary>
public static class ConflictPolicies
{
    public const ConflictPolicy Default = ConflictPolicy.ParentWins;

    private static readonly (ConflictPolicy Policy, string Name)[] s_names =
    [
        (ConflictPolicy.ParentWins, "parent-wins"),
        (ConflictPolicy.ChildWins, "child-wins"),
        (ConflictPolicy.LastWriterWins, "last-writer-wins"),
        (ConflictPolicy.MergeColumns, "merge-columns"),
        (ConflictPolicy.FieldAuthority, "field-authority"),
        (ConflictPolicy.Manual, "manual"),
    ];

    public static IEnumerable<string> Names => s_names.Select(n => n.Name);

    public static string Name(this ConflictPolicy policy) => s_names.First(n => n.Policy == policy).Name;

    /// <exception cref="SyncConfigurationException">not one of the names.</exception>
    public static ConflictPolicy Parse(string name) =>
        TryParse(name) ?? throw new SyncConfigurationException($"'{name}' is not a conflict policy; use one of {string.Join(", ", Names)}.");

    public static ConflictPolicy? TryParse(string name)
    {
        foreach (var (policy, text) in s_names)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                return policy;
            }
        }

        return null;
    }

    /// <summary>Whether the policy can decide a column both sides changed (the fallback of merge-columns and field-authority).</summary>
    /// <exception cref="SyncConfigurationException">it cannot: it merges by columns itself.</exception>
    public static ConflictPolicy EnsureFallback(ConflictPolicy fallback)
    {
        if (fallback is ConflictPolicy.MergeColumns or ConflictPolicy.FieldAuthority)
        {
            throw new SyncConfigurationException(
                $"{fallback.Name()} cannot be a fallback: the fallback decides one column changed on both sides; use parent-wins, child-wins, last-writer-wins or manual.");
        }

        return fallback;
    }

    /// <summary>Whether the policy merges a conflicting update column by column (merge-columns, field-authority).</summary>
    public static bool MergesColumns(this ConflictPolicy policy) => policy is ConflictPolicy.MergeColumns or ConflictPolicy.FieldAuthority;
}
