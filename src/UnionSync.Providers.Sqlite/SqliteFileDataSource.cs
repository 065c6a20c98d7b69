using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace UnionSync.Providers.Sqlite;

/// <summary>
/// A <see cref="DbDataSource"/> over one SQLite file. Every connection it creates, however it is opened, gets a busy
/// timeout; the first one switches the file to WAL (a setting the file keeps). Foreign keys come from the connection
/// string. Disposing it closes the pooled connections of its connection string.
/// </summary>
internal sealed class SqliteFileDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly string? _directory;
    private readonly string _everyOpenSql;
    private readonly string _firstOpenSql;
    private volatile bool _directoryEnsured;
    private volatile bool _walEnsured;

    public SqliteFileDataSource(string connectionString, string? directory, int busyTimeoutMilliseconds, bool readOnly)
    {
        _connectionString = connectionString;
        _directory = readOnly ? null : directory;
        BusyTimeoutMilliseconds = busyTimeoutMilliseconds;
        _everyOpenSql = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeoutMilliseconds};");
        _firstOpenSql = readOnly ? _everyOpenSql : _everyOpenSql + " PRAGMA journal_mode = WAL;";
        _walEnsured = readOnly;
        IsReadOnly = readOnly;
    }

    public override string ConnectionString => _connectionString;

    /// <summary>How long a connection waits for another's lock (<c>busy_timeout</c>, set on every open).</summary>
    public int BusyTimeoutMilliseconds { get; }

    /// <summary>Whether the connection string opens the file read-only (<c>Mode=ReadOnly</c>).</summary>
    public bool IsReadOnly { get; }

    protected override DbConnection CreateDbConnection()
    {
        if (!_directoryEnsured)
        {
            if (!string.IsNullOrEmpty(_directory))
            {
                Directory.CreateDirectory(_directory);
            }

            _directoryEnsured = true;
        }

        var connection = new SqliteConnection(_connectionString);
        connection.StateChange += OnStateChange;
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearPool();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        ClearPool();
        return base.DisposeAsyncCore();
    }

    /// <summary>
    /// Closes the idle pooled connections of this file, so that a bulk load's own connection can be the only one
    /// (<see cref="Bulk.SqliteLoadJournal"/>); connections in use are closed when they are returned.
    /// </summary>
    internal void CloseIdleConnections() => ClearPool();

    /// <summary>The next connection opened sets WAL again (after a load could not set it back itself).</summary>
    internal void EnsureWalOnNextOpen()
    {
        if (!IsReadOnly)
        {
            _walEnsured = false;
        }
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void OnStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Open || e.OriginalState == ConnectionState.Open)
        {
            return;
        }

        var connection = (SqliteConnection)sender;
        using var command = connection.CreateCommand();
        var first = !_walEnsured;
        command.CommandText = first ? _firstOpenSql : _everyOpenSql;
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, table: null);
        }

        if (first)
        {
            _walEnsured = true;
        }
    }
}
