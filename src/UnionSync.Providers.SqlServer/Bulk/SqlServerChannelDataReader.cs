using System.Collections;
using System.Data.Common;
using System.Threading.Channels;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>
/// The rows of a channel as a forward-only <see cref="DbDataReader"/> for <c>SqlBulkCopy.WriteToServerAsync</c>,
/// which reads a <see cref="DbDataReader"/> source with <see cref="ReadAsync(CancellationToken)"/>. Rows hold values
/// already converted by <see cref="SqlServerRowConverter"/>. Only asynchronous reading is supported.
/// </summary>
internal sealed class SqlServerChannelDataReader : DbDataReader
{
    private readonly TableDescription _table;
    private readonly ChannelReader<object?[]> _rows;
    private object?[]? _current;
    private bool _closed;

    public SqlServerChannelDataReader(TableDescription table, ChannelReader<object?[]> rows)
    {
        _table = table;
        _rows = rows;
    }

    /// <summary>Rows handed out so far.</summary>
    public long RowsRead { get; private set; }

    public override int FieldCount => _table.Columns.Count;

    public override int Depth => 0;

    public override bool HasRows => true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (await _rows.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_rows.TryRead(out var row))
            {
                _current = row;
                RowsRead++;
                return true;
            }
        }

        _current = null;
        return false;
    }

    /// <summary>Not supported: a synchronous read would block a thread on the producer.</summary>
    public override bool Read() =>
        throw new NotSupportedException($"{nameof(SqlServerChannelDataReader)} is read with {nameof(ReadAsync)} only (as SqlBulkCopy.WriteToServerAsync does).");

    public override bool NextResult() => false;

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public override void Close() => _closed = true;

    public override string GetName(int ordinal) => _table.Columns[ordinal].Name;

    public override int GetOrdinal(string name) => _table.IndexOf(name);

    public override Type GetFieldType(int ordinal) => SqlServerRowConverter.ProviderType(_table.Columns[ordinal].Type);

    public override string GetDataTypeName(int ordinal) => _table.Columns[ordinal].Type switch
    {
        ColumnType.Uuid => "uniqueidentifier",
        ColumnType.Text => "nvarchar",
        ColumnType.FixedText => "char",
        ColumnType.SmallInt => "smallint",
        ColumnType.BigInt => "bigint",
        ColumnType.Boolean => "bit",
        ColumnType.Date => "date",
        _ => "datetime2",
    };

    public override object GetValue(int ordinal) => Current[ordinal] ?? DBNull.Value;

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => Current[ordinal] is null or DBNull;

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => Task.FromResult(IsDBNull(ordinal));

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);

    public override char GetChar(int ordinal) => (char)GetValue(ordinal);

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);

    public override double GetDouble(int ordinal) => (double)GetValue(ordinal);

    public override float GetFloat(int ordinal) => (float)GetValue(ordinal);

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => (short)GetValue(ordinal);

    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);

    public override long GetInt64(int ordinal) => (long)GetValue(ordinal);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException("The synced tables have no binary columns.");

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException("Text values are read whole with GetString or GetValue.");

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    private object?[] Current => _current ?? throw new InvalidOperationException("No current row: call ReadAsync first.");
}
