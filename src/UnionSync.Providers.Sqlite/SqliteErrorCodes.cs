namespace UnionSync.Providers.Sqlite;

/// <summary>The SQLite result codes that <see cref="SqliteErrorTranslator"/> tells apart (sqlite.org/rescode.html).</summary>
internal static class SqliteErrorCodes
{
    public const int Busy = 5;
    public const int Locked = 6;
    public const int Constraint = 19;
    public const int ConstraintCheck = 275;
    public const int ConstraintForeignKey = 787;
    public const int ConstraintNotNull = 1299;
    public const int ConstraintPrimaryKey = 1555;
    public const int ConstraintUnique = 2067;
    public const int ConstraintDataType = 3091;
}
