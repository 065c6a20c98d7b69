namespace UnionSync.Sync.Policies;

/// <summary>
/// What <c>unionsync policy set</c> records for a table: its policy, optionally the fallback that decides a column both
/// sides changed, and optionally the owner of one column (field authority). Fallback and owners not given stay as they were.
/// </summary>
public sealed record PolicyChange(string Table, ConflictPolicy Policy, ConflictPolicy? Fallback = null, string? Column = null, string? Owner = null);
