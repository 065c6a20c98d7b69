using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using UnionSync.Sync.Errors;
using N = UnionSync.Providers.SqlServer.SqlServerErrorNumbers;

namespace UnionSync.Providers.SqlServer;

/// <summary>
/// The one place where SQL Server's errors become <see cref="ProviderException"/>s. Messages name the constraint,
/// table and column the server reported, never a row value: for errors whose server text quotes the value
/// (duplicate keys, truncation, conversion) neither that text nor the <see cref="SqlException"/> is passed on.
/// </summary>
internal static partial class SqlServerErrorTranslator
{
    private static readonly HashSet<int> s_connectionFailures =
    [
        N.NamedPipesConnectFailed, N.NetworkPathNotFound, N.NetworkNameNoLongerAvailable, N.SemaphoreTimeout,
        N.NoProcessOnOtherEndOfPipe, N.WaitOperationTimeout, N.ConnectionAborted, N.ConnectionReset, N.ConnectionTimedOut,
        N.ReadOnlySecondaryLoginTimeout, N.DatabaseUnavailable,
    ];

    private static readonly HashSet<int> s_throttling =
    [
        N.ServiceErrorProcessingRequest, N.ServiceBusy, N.ResourceLimitReached, N.ResourceLimitMinimumNotMet,
        N.ElasticPoolTooManyOperations, N.ElasticPoolTooManyCreateOrUpdate, N.ElasticPoolTooManyOperationsPerSubscription,
        N.LockRequestTimeout,
    ];

    private static readonly HashSet<int> s_valueBearing =
    [
        N.StringTruncated, N.StringTruncatedWithValue, N.ConversionFailed, N.DateConversionFailed, N.DateOutOfRange,
        N.SmallDateConversionFailed, N.ConvertToNumericFailed, N.ArithmeticOverflow, N.ArithmeticOverflowForType,
        N.ConvertToUniqueIdentifierFailed,
    ];

    /// <summary>Translates <paramref name="exception"/>, raised while doing <paramref name="operation"/> (e.g. "bulk load of members").</summary>
    public static ProviderException Translate(SqlException exception, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = SignificantError(exception);
        return Translate(error?.Number ?? exception.Number, error?.Message ?? exception.Message, operation, exception);
    }

    /// <summary>The translation proper, from the error number and the server's text; <paramref name="inner"/> is kept only where that text holds no row value.</summary>
    internal static ProviderException Translate(int number, string serverMessage, string operation, Exception? inner)
    {
        switch (number)
        {
            case N.UniqueConstraintViolation or N.UniqueIndexViolation:
                return new ProviderException(
                    $"SQL Server error {number} during {operation}: unique constraint {Quoted(ConstraintOrIndex(serverMessage))} " +
                    $"of table {Quoted(Match(ObjectName(), serverMessage))} violated: a row duplicates the key of another row.",
                    ProviderErrorKind.UniqueViolation, isTransient: false, innerException: null);

            case N.ConstraintConflict:
                var isCheck = serverMessage.Contains("CHECK constraint", StringComparison.OrdinalIgnoreCase);
                var kindText = isCheck ? "check constraint" : "foreign key constraint";
                return new ProviderException(
                    $"SQL Server error {number} during {operation}: {kindText} {Quoted(Match(ConstraintName(), serverMessage))} violated " +
                    $"(table {Quoted(Match(ConflictTable(), serverMessage))}, column {Quoted(Match(ConflictColumn(), serverMessage))}).",
                    isCheck ? ProviderErrorKind.CheckViolation : ProviderErrorKind.ForeignKeyViolation, isTransient: false, innerException: null);

            case N.NullNotAllowed:
                return new ProviderException(
                    $"SQL Server error {number} during {operation}: column {Quoted(Match(NullColumn(), serverMessage))} of table " +
                    $"{Quoted(Match(NullTable(), serverMessage))} does not allow NULL.",
                    ProviderErrorKind.NotNullViolation, isTransient: false, innerException: null);

            case N.Deadlock:
                return new ProviderException(
                    $"SQL Server error {number} during {operation}: the transaction was chosen as a deadlock victim and rolled back; retry it.",
                    ProviderErrorKind.Deadlock, isTransient: true, inner);

            case N.SnapshotUpdateConflict:
                return new ProviderException(
                    $"SQL Server error {number} during {operation}: a snapshot-isolation update conflict rolled the transaction back; retry it.",
                    ProviderErrorKind.SerializationFailure, isTransient: true, inner);

            case N.ClientTimeout:
                return new ProviderException(
                    $"SQL Server command timed out during {operation}; retry, or raise the command timeout of the connection string.",
                    ProviderErrorKind.Other, isTransient: true, inner);
        }

        if (s_connectionFailures.Contains(number))
        {
            return new ProviderException(
                $"SQL Server error {number} during {operation}: the connection failed or the database is unavailable; retry. {serverMessage}",
                ProviderErrorKind.ConnectionFailure, isTransient: true, inner);
        }

        if (s_throttling.Contains(number))
        {
            return new ProviderException(
                $"SQL Server error {number} during {operation}: the server is busy or throttling; retry after a pause. {serverMessage}",
                ProviderErrorKind.Other, isTransient: true, inner);
        }

        if (s_valueBearing.Contains(number))
        {
            return new ProviderException(
                $"SQL Server error {number} during {operation}: a value is too long or cannot be converted for its column " +
                "(the server's text is withheld because it quotes the value).",
                ProviderErrorKind.Other, isTransient: false, innerException: null);
        }

        return new ProviderException($"SQL Server error {number} during {operation}: {serverMessage}", ProviderErrorKind.Other, isTransient: false, inner);
    }

    private static SqlError? SignificantError(SqlException exception)
    {
        SqlError? first = null;
        foreach (SqlError error in exception.Errors)
        {
            first ??= error;
            if (IsKnown(error.Number))
            {
                return error;
            }
        }

        return first;
    }

    private static bool IsKnown(int number) =>
        number is N.UniqueConstraintViolation or N.UniqueIndexViolation or N.ConstraintConflict or N.NullNotAllowed
            or N.Deadlock or N.SnapshotUpdateConflict or N.ClientTimeout
        || s_connectionFailures.Contains(number) || s_throttling.Contains(number) || s_valueBearing.Contains(number);

    private static string? ConstraintOrIndex(string message) => Match(ConstraintName(), message) ?? Match(IndexName(), message);

    private static string? Match(Regex regex, string message)
    {
        var match = regex.Match(message);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string Quoted(string? name) => name is null ? "(not reported)" : $"'{name}'";

    // "... PRIMARY KEY constraint 'pk_members'." / "... FOREIGN KEY constraint \"fk_members_organization\"."
    [GeneratedRegex("constraint ['\"]([^'\"]+)['\"]", RegexOptions.IgnoreCase)]
    private static partial Regex ConstraintName();

    // "... with unique index 'ux_members_id_number'."
    [GeneratedRegex("unique index '([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex IndexName();

    // "Cannot insert duplicate key in object 'dbo.members'."
    [GeneratedRegex("object '([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectName();

    // "The conflict occurred in database \"x\", table \"dbo.organizations\", column 'id'."
    [GeneratedRegex("table \"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ConflictTable();

    [GeneratedRegex("column '([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex ConflictColumn();

    // "Cannot insert the value NULL into column 'name', table 'db.dbo.members'; column does not allow nulls."
    [GeneratedRegex("into column '([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex NullColumn();

    [GeneratedRegex("table '([^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex NullTable();
}
