using Microsoft.Data.Sqlite;
using UnionSync.Sync.Errors;

namespace UnionSync.Providers.Sqlite;

/// <summary>
/// The one place where SQLite errors become <see cref="ProviderException"/>s. SQLite's constraint messages name the
/// table, column or constraint and never a value, so they are kept.
/// </summary>
internal static class SqliteErrorTranslator
{
    public static ProviderException Translate(SqliteException exception, string? table)
    {
        var primary = exception.SqliteErrorCode & 0xFF;
        var (kind, what) = exception.SqliteExtendedErrorCode switch
        {
            SqliteErrorCodes.ConstraintUnique or SqliteErrorCodes.ConstraintPrimaryKey => (ProviderErrorKind.UniqueViolation, "a unique constraint"),
            SqliteErrorCodes.ConstraintForeignKey => (ProviderErrorKind.ForeignKeyViolation, "a foreign key"),
            SqliteErrorCodes.ConstraintCheck or SqliteErrorCodes.ConstraintDataType => (ProviderErrorKind.CheckViolation, "a check constraint or column type"),
            SqliteErrorCodes.ConstraintNotNull => (ProviderErrorKind.NotNullViolation, "a NOT NULL column"),
            _ when primary is SqliteErrorCodes.Busy or SqliteErrorCodes.Locked => (ProviderErrorKind.Other, "the database file's lock (busy or locked)"),
            _ => (ProviderErrorKind.Other, "an SQLite error"),
        };
        var transient = primary is SqliteErrorCodes.Busy or SqliteErrorCodes.Locked;
        var where = table is null ? "SQLite" : $"SQLite, writing table {table},";
        return new ProviderException(
            $"{where} stopped at {what} (error {exception.SqliteExtendedErrorCode}): {exception.Message}",
            kind,
            transient,
            exception);
    }
}
