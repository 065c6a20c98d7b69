using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Bulk;

/// <summary>
/// Streams rows of one table through binary COPY (<see cref="NpgsqlBinaryImporter"/>), each value written with its
/// explicit <see cref="NpgsqlDbType"/> and unboxed to its own type.
/// </summary>
internal sealed class PostgresBulkTableWriter : IBulkTableWriter
{
    private const string SavepointName = "unionsync_bulk_table";

    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlBinaryImporter _importer;
    private readonly ColumnDescription[] _columns;
    private long _rows;
    private bool _completed;
    private bool _disposed;

    private PostgresBulkTableWriter(NpgsqlTransaction transaction, NpgsqlBinaryImporter importer, TableDescription table)
    {
        _transaction = transaction;
        _importer = importer;
        Table = table;
        _columns = [.. table.Columns];
    }

    public TableDescription Table { get; }

    public bool IsOpen => !_completed && !_disposed;

    public static async Task<PostgresBulkTableWriter> OpenAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableDescription table, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
        var savepoint = false;
        try
        {
            await transaction.SaveAsync(SavepointName, cancellationToken).ConfigureAwait(false);
            savepoint = true;
            var importer = await connection.BeginBinaryImportAsync(
                $"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);

            // The server checks every copied row's foreign keys when the COPY ends, which outlasts the command timeout at
            // millions of rows; a load is bounded by its cancellation token instead (zero: no timeout).
            importer.Timeout = TimeSpan.Zero;
            return new PostgresBulkTableWriter(transaction, importer, table);
        }
        catch (NpgsqlException ex)
        {
            if (savepoint)
            {
                await transaction.RollbackAsync(SavepointName, CancellationToken.None).ConfigureAwait(false);
            }

            throw PostgresErrorTranslator.Translate(ex, table.Name);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!IsOpen)
        {
            throw new InvalidOperationException($"The writer of table {Table} is completed or disposed.");
        }

        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"A row of table {Table} has {_columns.Length} values; this one has {values.Length}.", nameof(values));
        }

        try
        {
            await _importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < _columns.Length; i++)
            {
                await WriteValueAsync(_columns[i], values[i], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, Table.Name);
        }

        _rows++;
    }

    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return _rows;
        }

        try
        {
            var rows = await _importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await _importer.DisposeAsync().ConfigureAwait(false);
            await _transaction.ReleaseAsync(SavepointName, cancellationToken).ConfigureAwait(false);
            _completed = true;
            return (long)rows;
        }
        catch (NpgsqlException ex)
        {
            throw PostgresErrorTranslator.Translate(ex, Table.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_completed)
        {
            return;
        }

        try
        {
            // Without CompleteAsync this cancels the COPY; then the savepoint takes back whatever reached the table.
            await _importer.DisposeAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The COPY had already failed; the rollback below is what matters.
        }

        try
        {
            await _transaction.RollbackAsync(SavepointName, CancellationToken.None).ConfigureAwait(false);
            await _transaction.ReleaseAsync(SavepointName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection or transaction is gone: disposing the load transaction rolls back the rest.
        }
    }

    private Task WriteValueAsync(ColumnDescription column, object? value, CancellationToken cancellationToken)
    {
        if (value is null || value is DBNull)
        {
            return _importer.WriteNullAsync(cancellationToken);
        }

        try
        {
            return column.Type switch
            {
                ColumnType.Uuid => _importer.WriteAsync((Guid)value, NpgsqlDbType.Uuid, cancellationToken),
                ColumnType.Text => _importer.WriteAsync((string)value, NpgsqlDbType.Text, cancellationToken),
                ColumnType.FixedText => _importer.WriteAsync((string)value, NpgsqlDbType.Char, cancellationToken),
                ColumnType.SmallInt => _importer.WriteAsync((short)value, NpgsqlDbType.Smallint, cancellationToken),
                ColumnType.Boolean => _importer.WriteAsync((bool)value, NpgsqlDbType.Boolean, cancellationToken),
                ColumnType.Date => _importer.WriteAsync((DateOnly)value, NpgsqlDbType.Date, cancellationToken),
                ColumnType.Timestamp => _importer.WriteAsync(
                    PostgresColumnTypes.ToStoredTimestamp((DateTime)value), NpgsqlDbType.TimestampTz, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
            };
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException)
        {
            throw new ArgumentException(
                $"Table {Table}: column {column.Name} is {column.Type}; the row has a {value.GetType().Name} or a non-UTC timestamp.", ex);
        }
    }
}
