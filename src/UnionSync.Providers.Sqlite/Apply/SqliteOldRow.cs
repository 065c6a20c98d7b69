namespace UnionSync.Providers.Sqlite.Apply;

/// <summary>
/// What an apply reads of a row before writing it: the organisation a tombstone of it would carry, and its values in
/// stored form (<see cref="SqliteStoredForm.ToStored"/>: <see cref="DBNull"/>, a string or a long) in row-value order.
/// </summary>
internal sealed record SqliteOldRow(string? TombstoneScope, object[] Stored)
{
    /// <summary>The value of the scope column at <paramref name="ordinal"/>: an organisation's or member's id, or null.</summary>
    public string? ScopeColumn(int ordinal) => Stored[ordinal] as string;
}
