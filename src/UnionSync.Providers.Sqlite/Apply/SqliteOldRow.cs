namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>What an apply reads of a row before writing it: its scope column and the organisation a tombstone of it would carry.</summary>
internal sealed record SqliteOldRow(string? ScopeColumn, string? TombstoneScope);
