namespace UnionSync.Hub;

/// <summary>
/// The hub's log messages. Event ids: 1000-1099 start and database, 1100-1199 requests.
/// No message carries a connection string, an identity number or a phone number.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Hub database: {Database}")]
    public static partial void DatabaseOpening(ILogger logger, string database);

    [LoggerMessage(1001, LogLevel.Information, "Schema at version {Version} ({AppliedCount} migrations applied now)")]
    public static partial void SchemaReady(ILogger logger, int version, int appliedCount);

    [LoggerMessage(1002, LogLevel.Information, "The database already holds organisations; the demo federation is not loaded")]
    public static partial void DemoFederationNotNeeded(ILogger logger);

    [LoggerMessage(1003, LogLevel.Warning, "The database is empty and {Setting} is false; the hub serves an empty federation")]
    public static partial void DemoFederationDisabled(ILogger logger, string setting);

    [LoggerMessage(1004, LogLevel.Information, "The database is empty; loading the demo federation")]
    public static partial void DemoFederationLoading(ILogger logger);

    [LoggerMessage(1005, LogLevel.Information,
        "Demo federation loaded: {Organizations} organisations, {Members} members, {Cards} service cards in {ElapsedMilliseconds} ms")]
    public static partial void DemoFederationLoaded(ILogger logger, long organizations, long members, long cards, long elapsedMilliseconds);

    [LoggerMessage(1010, LogLevel.Information, "Hub listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(1011, LogLevel.Information, "Hub started in {ElapsedMilliseconds} ms since the process started")]
    public static partial void Started(ILogger logger, long elapsedMilliseconds);

    [LoggerMessage(1100, LogLevel.Error, "{Method} {Path} failed: {ErrorCode}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, string errorCode, Exception exception);

    [LoggerMessage(1101, LogLevel.Information, "{Method} {Path} rejected: {ErrorCode}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, string errorCode);

    [LoggerMessage(1102, LogLevel.Debug, "Member search by {Criterion} found {Count} members")]
    public static partial void MemberSearch(ILogger logger, string criterion, int count);
}
