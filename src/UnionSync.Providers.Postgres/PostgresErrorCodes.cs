namespace UnionSync.Providers.Postgres;

/// <summary>The SQLSTATE codes that <see cref="PostgresErrorTranslator"/> tells apart (PostgreSQL Appendix A).</summary>
internal static class PostgresErrorCodes
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";
    public const string CheckViolation = "23514";
    public const string NotNullViolation = "23502";
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    /// <summary>Class 08, connection exception.</summary>
    public const string ConnectionExceptionClass = "08";

    /// <summary>Class 23, integrity constraint violation.</summary>
    public const string IntegrityConstraintClass = "23";

    /// <summary>Class 40, transaction rollback.</summary>
    public const string TransactionRollbackClass = "40";
}
