namespace UnionSync.Domain.Rules;

/// <summary>One broken rule: the column it concerns (as named in DESIGN §3) and a message that says what is wrong and
/// what would be right. Messages never hold a personal identifier in full.</summary>
public sealed record Violation(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
