namespace UnionSync.Providers.Tests.Conformance;

/// <summary>The kinds of column a test adds to a synced table; each provider spells them in its own DDL.</summary>
public enum AddedColumnKind
{
    /// <summary>Nullable text (PostgreSQL text, SQLite TEXT, SQL Server nvarchar): syncs as text.</summary>
    Text,

    /// <summary>Nullable 64-bit integer (bigint, SQLite INTEGER): syncs as a 64-bit integer.</summary>
    Integer64,

    /// <summary>Nullable 32-bit integer (integer/int, SQLite INT): syncs as a 64-bit integer all the same.</summary>
    Integer32,

    /// <summary>Text NOT NULL with a default: refused, added columns must be nullable.</summary>
    NotNullText,

    /// <summary>A nullable column of a type that does not sync (PostgreSQL jsonb, SQLite BLOB, SQL Server xml).</summary>
    Unsynced,
}
