using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Sqlite.Bulk;

/// <summary>
/// Writes rows of one table with one prepared INSERT whose parameters are bound straight through SQLite's C API:
/// UUIDs, dates and timestamps are formatted as UTF-8 into a reused buffer, so a row costs no allocation.
/// </summary>
internal sealed class SqliteBulkTableWriter : IBulkTableWriter
{
    public const string SavepointName = "unionsync_bulk_table";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly ColumnDescription[] _columns;
    private readonly IReadOnlyList<string> _deferredIndexes;
    private readonly byte[] _scratch = new byte[SqliteStoredForm.MaxFormattedLength];
    private byte[] _text = new byte[256];
    private sqlite3_stmt? _statement;
    private long _rows;
    private bool _completed;
    private bool _disposed;

    /// <param name="deferredIndexes">The table's indexes dropped for the load, built again by <see cref="CompleteAsync"/>.</param>
    public SqliteBulkTableWriter(SqliteConnection connection, SqliteTransaction transaction, TableDescription table, IReadOnlyList<string> deferredIndexes)
    {
        _connection = connection;
        _transaction = transaction;
        _deferredIndexes = deferredIndexes;
        Table = table;
        _columns = [.. table.Columns];
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        var parameters = string.Join(", ", Enumerable.Range(1, table.Columns.Count).Select(i => $"?{i}"));
        var sql = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES ({parameters})";
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw SqliteErrorTranslator.Translate(LastError(rc), table.Name);
        }

        _statement = statement;
    }

    public TableDescription Table { get; }

    public bool IsOpen => !_completed && !_disposed;

    public ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        var statement = _statement ?? throw new InvalidOperationException($"The writer of table {Table} is completed or disposed.");
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"A row of table {Table} has {_columns.Length} values; this one has {values.Length}.", nameof(values));
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            var rc = Bind(statement, i, values[i]);
            if (rc != raw.SQLITE_OK)
            {
                raw.sqlite3_reset(statement);
                throw SqliteErrorTranslator.Translate(LastError(rc), Table.Name);
            }
        }

        var step = raw.sqlite3_step(statement);
        if (step != raw.SQLITE_DONE)
        {
            var error = LastError(step);
            raw.sqlite3_reset(statement);
            throw SqliteErrorTranslator.Translate(error, Table.Name);
        }

        raw.sqlite3_reset(statement);
        _rows++;
        return ValueTask.CompletedTask;
    }

    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return _rows;
        }

        FinalizeStatement();
        try
        {
            // A unique index that meets a duplicate fails here; disposing the writer then rolls the table back.
            await SqliteDeferredIndexes.BuildAsync(_connection, _transaction, _deferredIndexes, cancellationToken).ConfigureAwait(false);
            _transaction.Release(SavepointName);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrorTranslator.Translate(ex, Table.Name);
        }

        _completed = true;
        return _rows;
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        FinalizeStatement();
        if (!_completed)
        {
            try
            {
                _transaction.Rollback(SavepointName);
                _transaction.Release(SavepointName);
            }
            catch (SqliteException)
            {
                // The transaction is gone (connection broken or rolled back): there is nothing left to undo.
            }
        }

        return ValueTask.CompletedTask;
    }

    private int Bind(sqlite3_stmt statement, int column, object? value)
    {
        var index = column + 1;
        if (value is null || value is DBNull)
        {
            return raw.sqlite3_bind_null(statement, index);
        }

        var description = _columns[column];
        try
        {
            switch (description.Type)
            {
                case ColumnType.Uuid:
                    return raw.sqlite3_bind_text(statement, index, _scratch.AsSpan(0, SqliteStoredForm.WriteUuid((Guid)value, _scratch)));
                case ColumnType.Text:
                case ColumnType.FixedText:
                    return BindText(statement, index, (string)value);
                case ColumnType.SmallInt:
                    return raw.sqlite3_bind_int(statement, index, (short)value);
                case ColumnType.BigInt:
                    return raw.sqlite3_bind_int64(statement, index, (long)value);
                case ColumnType.Boolean:
                    return raw.sqlite3_bind_int(statement, index, (bool)value ? 1 : 0);
                case ColumnType.Date:
                    return raw.sqlite3_bind_text(statement, index, _scratch.AsSpan(0, SqliteStoredForm.WriteDate((DateOnly)value, _scratch)));
                case ColumnType.Timestamp:
                    return raw.sqlite3_bind_text(statement, index, _scratch.AsSpan(0, SqliteStoredForm.WriteTimestamp((DateTime)value, _scratch)));
                default:
                    throw new ArgumentOutOfRangeException(nameof(column), description.Type, "Unknown column type.");
            }
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException)
        {
            raw.sqlite3_reset(statement);
            throw new ArgumentException($"Table {Table}: {SqliteStoredForm.WrongType(description, value, ex).Message}", ex);
        }
    }

    private int BindText(sqlite3_stmt statement, int index, string value)
    {
        if (value.Length == 0)
        {
            // An empty span would bind a null pointer, which SQLite takes for NULL.
            return raw.sqlite3_bind_text(statement, index, string.Empty);
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _text.Length)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _text);
        return raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, length));
    }

    private SqliteException LastError(int rc)
    {
        var handle = _connection.Handle;
        var message = raw.sqlite3_errmsg(handle).utf8_to_string();
        return new SqliteException($"SQLite Error {rc}: '{message}'.", rc, raw.sqlite3_extended_errcode(handle));
    }

    private void FinalizeStatement()
    {
        _statement?.Dispose();
        _statement = null;
    }
}
