namespace UnionSync.Domain.Rules;

/// <summary>Gathers the violations of one or more rows, then freezes them into a <see cref="ValidationResult"/>.</summary>
internal sealed class ViolationCollector
{
    private readonly List<Violation> _violations = [];

    public void Add(string field, string message) => _violations.Add(new Violation(field, message));

    public void AddRange(ValidationResult result) => _violations.AddRange(result.Violations);

    public ValidationResult ToResult() => _violations.Count == 0 ? ValidationResult.Valid : new ValidationResult(_violations.ToArray());
}
