using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Schema;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The three-way merge of an update/update conflict under <c>merge-columns</c> and <c>field-authority</c>
/// (docs/sync-engine.md §11). The child's change carries its base row (the row as it last agreed it with the parent):
/// a column the child changed since, and the parent did not, takes the child's value; one the parent changed, and the
/// child did not, keeps the parent's; one both changed to different values is <em>contested</em>, and goes to its owner
/// (field authority) or is decided by the table's fallback policy. Without a base row (the child kept none), every column
/// whose values differ counts as contested: nothing is taken from either side without a rule that says so.
/// </summary>
internal sealed class ColumnMerge
{
    private ColumnMerge(object?[] merged, object?[] childAlternative, IReadOnlyList<string> fromChild, IReadOnlyList<string> fromParent, IReadOnlyList<Contest> contests)
    {
        Merged = merged;
        ChildAlternative = childAlternative;
        FromChild = fromChild;
        FromParent = fromParent;
        Contests = contests;
    }

    /// <summary>The row the merge decided.</summary>
    public object?[] Merged { get; }

    /// <summary>As <see cref="Merged"/>, but every contested column with the child's value: what taking the child's side of a queued conflict writes.</summary>
    public object?[] ChildAlternative { get; }

    /// <summary>Columns only the child changed: the child's values are kept.</summary>
    public IReadOnlyList<string> FromChild { get; }

    /// <summary>Columns only the parent changed: the parent's values are kept.</summary>
    public IReadOnlyList<string> FromParent { get; }

    /// <summary>Columns both sides changed to different values, with who got them and by which rule.</summary>
    public IReadOnlyList<Contest> Contests { get; }

    /// <summary>Whether a contested column waits for an operator (fallback <c>manual</c>, no owner).</summary>
    public bool Queued => Contests.Any(c => c.Queued);

    public static ColumnMerge Of(TablePolicy policy, RowChange change, CurrentRow current)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var table = change.Table;
        var parent = current.Values ?? throw new ArgumentException("A merge needs the parent's row.", nameof(current));
        var child = change.Values ?? throw new ArgumentException("A merge needs the child's row.", nameof(change));
        var baseRow = change.BaseValues;
        var merged = (object?[])parent.Clone();
        var alternative = (object?[])parent.Clone();
        var fromChild = new List<string>();
        var fromParent = new List<string>();
        var contests = new List<Contest>();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (i == table.KeyOrdinal || Equals(parent[i], child[i]))
            {
                continue;
            }

            var name = table.Columns[i].Name;
            var known = baseRow is not null && i < table.ContractColumnCount && i < baseRow.Length;
            var childChanged = !known || !Equals(child[i], baseRow![i]);
            var parentChanged = !known || !Equals(parent[i], baseRow![i]);
            if (childChanged && !parentChanged)
            {
                merged[i] = alternative[i] = child[i];
                fromChild.Add(name);
            }
            else if (parentChanged && !childChanged)
            {
                fromParent.Add(name);
            }
            else
            {
                var contest = Decide(policy, table.Columns[i], change, current);
                merged[i] = contest.ChildWins ? child[i] : parent[i];
                alternative[i] = child[i];
                contests.Add(contest);
            }
        }

        return new ColumnMerge(merged, alternative, fromChild, fromParent, contests);
    }

    /// <summary>The sentence the conflict log keeps.</summary>
    public string Describe(TablePolicy policy, string result)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var parts = new List<string> { $"merged by columns ({policy.Policy.Name()})" };
        if (FromChild.Count > 0)
        {
            parts.Add($"the child's {string.Join(", ", FromChild)} kept");
        }

        if (FromParent.Count > 0)
        {
            parts.Add($"the parent's {string.Join(", ", FromParent)} kept");
        }

        parts.AddRange(Contests.Select(c => c.Describe()));
        if (Contests.Count == 0 && FromChild.Count == 0 && FromParent.Count == 0)
        {
            parts.Add("both sides hold the same values");
        }

        return string.Join("; ", parts) + ". Then " + result;
    }

    private static Contest Decide(TablePolicy policy, ColumnDescription column, RowChange change, CurrentRow current)
    {
        if (policy.Policy == ConflictPolicy.FieldAuthority && policy.Owners.TryGetValue(column.Name, out var owner))
        {
            return new Contest(column.Name, !ColumnOwners.ParentHolds(owner), $"owned by {owner}", Queued: false);
        }

        return policy.Fallback switch
        {
            ConflictPolicy.ChildWins => new Contest(column.Name, true, "child-wins (fallback)", false),
            ConflictPolicy.LastWriterWins => new Contest(
                column.Name, Identities.CompareByClock(change.Origin, current.Identity) > 0, "last-writer-wins (fallback)", false),
            ConflictPolicy.Manual => new Contest(column.Name, false, "manual (fallback): queued", true),
            _ => new Contest(column.Name, false, "parent-wins (fallback)", false),
        };
    }

    /// <summary>One column both sides changed.</summary>
    internal sealed record Contest(string Column, bool ChildWins, string Rule, bool Queued)
    {
        public string Describe() => $"{Column} changed on both sides, {Rule}: the {(ChildWins ? "child's" : "parent's")} value";
    }
}
