namespace UnionSync.Domain.Rules;

/// <summary>The violations found in a row; none when it is valid.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(IReadOnlyList<Violation> violations) => Violations = violations;

    public static ValidationResult Valid { get; } = new([]);

    public IReadOnlyList<Violation> Violations { get; }

    public bool IsValid => Violations.Count == 0;

    /// <summary>True when some violation concerns <paramref name="field"/>.</summary>
    public bool Concerns(string field) => Violations.Any(v => string.Equals(v.Field, field, StringComparison.Ordinal));

    public override string ToString() => IsValid ? "valid" : string.Join("; ", Violations);
}
