namespace UnionSync.Providers.SqlServer;

/// <summary>The SQL Server error numbers (<c>SqlError.Number</c>) that <see cref="SqlServerErrorTranslator"/> knows.</summary>
internal static class SqlServerErrorNumbers
{
    // Constraint violations: the server's text of the first two carries the duplicate key value.
    public const int UniqueConstraintViolation = 2627;
    public const int UniqueIndexViolation = 2601;
    public const int ConstraintConflict = 547;
    public const int NullNotAllowed = 515;

    // Concurrency: the transaction was rolled back or refused and may be retried whole.
    public const int Deadlock = 1205;
    public const int LockRequestTimeout = 1222;
    public const int SnapshotUpdateConflict = 3960;

    // Client-side: the command's timeout expired (SqlClient reports -2).
    public const int ClientTimeout = -2;

    // Network and availability: the connection broke or the server cannot serve now.
    public const int NamedPipesConnectFailed = 2;
    public const int NetworkPathNotFound = 53;
    public const int NetworkNameNoLongerAvailable = 64;
    public const int SemaphoreTimeout = 121;
    public const int NoProcessOnOtherEndOfPipe = 233;
    public const int WaitOperationTimeout = 258;
    public const int ConnectionAborted = 10053;
    public const int ConnectionReset = 10054;
    public const int ConnectionTimedOut = 10060;
    public const int ReadOnlySecondaryLoginTimeout = 4221;
    public const int DatabaseUnavailable = 40613;

    // Azure SQL throttling and resource governance.
    public const int ServiceErrorProcessingRequest = 40197;
    public const int ServiceBusy = 40501;
    public const int ResourceLimitReached = 10928;
    public const int ResourceLimitMinimumNotMet = 10929;
    public const int ElasticPoolTooManyOperations = 49918;
    public const int ElasticPoolTooManyCreateOrUpdate = 49919;
    public const int ElasticPoolTooManyOperationsPerSubscription = 49920;

    // Errors whose server text quotes the offending value: their text is never passed on.
    public const int StringTruncated = 8152;
    public const int StringTruncatedWithValue = 2628;
    public const int ConversionFailed = 245;
    public const int DateConversionFailed = 241;
    public const int DateOutOfRange = 242;
    public const int SmallDateConversionFailed = 295;
    public const int ConvertToNumericFailed = 8114;
    public const int ArithmeticOverflow = 8115;
    public const int ArithmeticOverflowForType = 220;
    public const int ConvertToUniqueIdentifierFailed = 8169;
}
