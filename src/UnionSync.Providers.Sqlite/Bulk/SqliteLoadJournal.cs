using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>
/// A bulk load's journal. In WAL mode every page a load writes goes to the WAL first and is copied into the database by
/// the checkpoint after commit: a load of a million members writes 600 MiB twice (2.5 s of an 11 s load in the
/// <c>sqlite3</c> shell). With a rollback journal the new pages go straight into the file, and the journal keeps only
/// what the load overwrites, so an empty database's load is written once and still rolls back whole. A file can leave
/// WAL only while no other connection has it open: the load asks once, without waiting, and otherwise loads in WAL.
/// The file goes back to WAL when the load ends, committed or not.
/// </summary>
internal static class SqliteLoadJournal
{
    /// <summary>Switches the file to a rollback journal if <paramref name="connection"/> is the only one open on it.</summary>
    /// <returns>Whether it switched, so that <see cref="ReturnToWal"/> must set WAL back.</returns>
    public static async Task<bool> TryLeaveWalAsync(SqliteFileDataSource dataSource, SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (dataSource.IsReadOnly || !await IsWalAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        dataSource.CloseIdleConnections();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 0";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return TrySetJournalMode(connection, "DELETE");
        }
        finally
        {
            command.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {dataSource.BusyTimeoutMilliseconds}");
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sets WAL back after the load's transaction has ended (waiting out other connections for the busy timeout); if that
    /// fails, the file's next connection does it.
    /// </summary>
    public static void ReturnToWal(SqliteFileDataSource dataSource, SqliteConnection connection)
    {
        if (!TrySetJournalMode(connection, "WAL"))
        {
            dataSource.EnsureWalOnNextOpen();
        }
    }

    /// <summary>
    /// One attempt, through SQLite's C API: Microsoft.Data.Sqlite retries a busy statement until the command timeout,
    /// and another connection's open file is an answer here, not something to wait for.
    /// </summary>
    private static bool TrySetJournalMode(SqliteConnection connection, string mode)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, "PRAGMA journal_mode = " + mode, out var statement);
        using (statement)
        {
            if (rc != raw.SQLITE_OK)
            {
                return false;
            }

            rc = raw.sqlite3_step(statement);
            return rc == raw.SQLITE_ROW && string.Equals(raw.sqlite3_column_text(statement, 0).utf8_to_string(), mode, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<bool> IsWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return string.Equals((string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), "wal", StringComparison.OrdinalIgnoreCase);
    }
}
