using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using UnionSync.Providers.Postgres.Tracking;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Postgres.Bulk;

/// <summary>
/// Streams rows of one table through binary COPY (<see cref="NpgsqlBinaryImporter"/>), each value written with its
/// explicit <see cref="NpgsqlDbType"/> and unboxed to its own type. Binary COPY takes each value in the column's own
/// format, so an added integer column (<see cref="ColumnType.BigInt"/>, a <see cref="long"/>) is written in the width the
/// catalog gives it (smallint, integer or bigint), and a value out of that width's range is refused.
/// </summary>
internal sealed class PostgresBulkTableWriter : IBulkTableWriter
{
    private const string SavepointName = "unionsync_bulk_table";

    /// <summary>The type (of the base type for a domain) of columns <c>@columns</c> of table <c>@table</c> in the current schema.</summary>
    private const string IntegerWidthsSql =
        "SELECT a.attname::text, COALESCE(b.typname, t.typname)::text FROM pg_attribute a " +
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid " +
        "LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype " +
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = @table AND a.attname = ANY(@columns) " +
        "AND a.attnum > 0 AND NOT a.attisdropped";

    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlBinaryImporter _importer;
    private readonly ColumnDescription[] _columns;
    private readonly NpgsqlDbType[] _types;
    private long _rows;
    private bool _completed;
    private bool _disposed;

    private PostgresBulkTableWriter(NpgsqlTransaction transaction, NpgsqlBinaryImporter importer, TableDescription table, NpgsqlDbType[] types)
    {
        _transaction = transaction;
        _importer = importer;
        Table = table;
        _columns = [.. table.Columns];
        _types = types;
    }

    public TableDescription Table { get; }

    public bool IsOpen => !_completed && !_disposed;

    public static async Task<PostgresBulkTableWriter> OpenAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableDescription table, CancellationToken cancellationToken)
    {
        var tracked = PostgresTrackedTable.For(table);
        var savepoint = false;
        try
        {
            var types = await ColumnTypesAsync(connection, transaction, table, cancellationToken).ConfigureAwait(false);
            await transaction.SaveAsync(SavepointName, cancellationToken).ConfigureAwait(false);
            savepoint = true;
            var importer = await connection.BeginBinaryImportAsync(tracked.BulkCopySql, cancellationToken).ConfigureAwait(false);

            // The server checks every copied row's foreign keys when the COPY ends, which outlasts the command timeout at
            // millions of rows; a load is bounded by its cancellation token instead (zero: no timeout).
            importer.Timeout = TimeSpan.Zero;
            return new PostgresBulkTableWriter(transaction, importer, table, types);
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
                await WriteValueAsync(_columns[i], _types[i], values[i], cancellationToken).ConfigureAwait(false);
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

    /// <summary>Each column's type as COPY sends it: its <see cref="ColumnType"/>'s, but an added integer column's own width.</summary>
    private static async Task<NpgsqlDbType[]> ColumnTypesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableDescription table, CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => PostgresColumnTypes.ToNpgsqlDbType(c.Type)).ToArray();
        var integers = table.Columns.Where(c => c.Type == ColumnType.BigInt).Select(c => c.Name).ToArray();
        if (integers.Length == 0)
        {
            return types;
        }

        await using var command = new NpgsqlCommand(IntegerWidthsSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("table", NpgsqlDbType.Text) { Value = table.Name });
        command.Parameters.Add(new NpgsqlParameter("columns", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = integers });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            types[table.IndexOf(reader.GetString(0))] = reader.GetString(1) switch
            {
                "int2" => NpgsqlDbType.Smallint,
                "int4" => NpgsqlDbType.Integer,
                _ => NpgsqlDbType.Bigint,
            };
        }

        return types;
    }

    private Task WriteValueAsync(ColumnDescription column, NpgsqlDbType type, object? value, CancellationToken cancellationToken)
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
                ColumnType.BigInt => WriteIntegerAsync(column, type, (long)value, cancellationToken),
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

    private Task WriteIntegerAsync(ColumnDescription column, NpgsqlDbType type, long value, CancellationToken cancellationToken)
    {
        try
        {
            return type switch
            {
                NpgsqlDbType.Smallint => _importer.WriteAsync(checked((short)value), type, cancellationToken),
                NpgsqlDbType.Integer => _importer.WriteAsync(checked((int)value), type, cancellationToken),
                _ => _importer.WriteAsync(value, NpgsqlDbType.Bigint, cancellationToken),
            };
        }
        catch (OverflowException ex)
        {
            // The value is not quoted: row values are never shown.
            throw new ArgumentException(
                $"Table {Table}: column {column.Name} is {(type == NpgsqlDbType.Smallint ? "smallint" : "integer")} here; a row's value is out of its range.", ex);
        }
    }
}
