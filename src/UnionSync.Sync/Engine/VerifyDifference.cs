namespace UnionSync.Sync.Engine;

/// <summary>
/// One row that differs between the child and the parent's scope. <see cref="Label"/> identifies a member by its
/// masked ID number; <see cref="Columns"/> names the columns whose values differ (never the values).
/// </summary>
public sealed record VerifyDifference(string Table, Guid Key, VerifyDifferenceKind Kind, IReadOnlyList<string> Columns, string? Label);
