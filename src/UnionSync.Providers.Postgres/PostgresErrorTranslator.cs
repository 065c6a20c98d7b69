using Npgsql;
using UnionSync.Sync.Errors;

namespace UnionSync.Providers.Postgres;

/// <summary>
/// The one place where Npgsql errors become <see cref="ProviderException"/>s. Messages name the table and the
/// constraint; the server's detail, which holds the row's values, is left out.
/// </summary>
internal static class PostgresErrorTranslator
{
    public static ProviderException Translate(NpgsqlException exception, string? table)
    {
        if (exception is not PostgresException postgres)
        {
            var kindText = exception.IsTransient ? "a connection failure" : "a driver error";
            return new ProviderException(
                $"PostgreSQL{Where(table)} stopped at {kindText}: {exception.Message}",
                exception.IsTransient ? ProviderErrorKind.ConnectionFailure : ProviderErrorKind.Other,
                exception.IsTransient,
                exception);
        }

        var state = postgres.SqlState;
        var kind = state switch
        {
            PostgresErrorCodes.UniqueViolation => ProviderErrorKind.UniqueViolation,
            PostgresErrorCodes.ForeignKeyViolation => ProviderErrorKind.ForeignKeyViolation,
            PostgresErrorCodes.CheckViolation => ProviderErrorKind.CheckViolation,
            PostgresErrorCodes.NotNullViolation => ProviderErrorKind.NotNullViolation,
            PostgresErrorCodes.SerializationFailure => ProviderErrorKind.SerializationFailure,
            PostgresErrorCodes.DeadlockDetected => ProviderErrorKind.Deadlock,
            _ when state.StartsWith(PostgresErrorCodes.ConnectionExceptionClass, StringComparison.Ordinal) => ProviderErrorKind.ConnectionFailure,
            _ => ProviderErrorKind.Other,
        };
        var transient = kind is ProviderErrorKind.SerializationFailure or ProviderErrorKind.Deadlock or ProviderErrorKind.ConnectionFailure
            || postgres.IsTransient;

        // Constraint, rollback and connection messages name objects, not values; others (e.g. invalid input syntax) may quote a value.
        var safeText = state.StartsWith(PostgresErrorCodes.IntegrityConstraintClass, StringComparison.Ordinal)
            || state.StartsWith(PostgresErrorCodes.TransactionRollbackClass, StringComparison.Ordinal)
            || kind == ProviderErrorKind.ConnectionFailure;
        var constraint = string.IsNullOrEmpty(postgres.ConstraintName) ? string.Empty : $" {postgres.ConstraintName}";
        var text = safeText ? postgres.MessageText : "see the inner exception";
        return new ProviderException(
            $"PostgreSQL{Where(postgres.TableName ?? table)} stopped at {Describe(kind)}{constraint} (SQLSTATE {state}): {text}",
            kind,
            transient,
            exception);
    }

    private static string Where(string? table) => string.IsNullOrEmpty(table) ? string.Empty : $", writing table {table},";

    private static string Describe(ProviderErrorKind kind) => kind switch
    {
        ProviderErrorKind.UniqueViolation => "unique constraint",
        ProviderErrorKind.ForeignKeyViolation => "foreign key",
        ProviderErrorKind.CheckViolation => "check constraint",
        ProviderErrorKind.NotNullViolation => "a NOT NULL column",
        ProviderErrorKind.SerializationFailure => "a serialization failure",
        ProviderErrorKind.Deadlock => "a deadlock",
        ProviderErrorKind.ConnectionFailure => "a connection failure",
        _ => "an error",
    };
}
