using System.Threading.Channels;
using Microsoft.Data.SqlClient;
using UnionSync.Sync.Errors;
using UnionSync.Sync.Providers;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.SqlServer.Bulk;

/// <summary>
/// Streams one table's rows into SqlBulkCopy. <see cref="WriteAsync"/> validates and converts a row, then hands it
/// through a bounded channel to a <see cref="SqlServerChannelDataReader"/> that SqlBulkCopy pulls with <c>ReadAsync</c>
/// while it sends: at most <see cref="ChannelCapacity"/> rows wait in memory, whatever the row count, and the
/// producer and the network overlap.
/// </summary>
/// <remarks>
/// Options: <see cref="SqlBulkCopyOptions.TableLock"/> (a bulk-update table lock: the fast, minimally locked path;
/// readers without snapshot isolation wait for the load's commit); <see cref="SqlBulkCopyOptions.CheckConstraints"/>
/// (without it SQL Server skips CHECK and FOREIGN KEY checks and marks them untrusted, which would let a bad row in
/// and cost the optimiser); <see cref="SqlBulkCopyOptions.FireTriggers"/> (change tracking will use triggers: a row
/// loaded in bulk is a change like any other and must be tracked, or it never reaches a child); and
/// <see cref="SqlBulkCopyOptions.KeepNulls"/> (a NULL stays NULL even if a column gains a default later).
/// </remarks>
internal sealed class SqlServerBulkTableWriter : IBulkTableWriter
{
    public const int ChannelCapacity = 4096;

    internal const SqlBulkCopyOptions CopyOptions =
        SqlBulkCopyOptions.TableLock | SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.FireTriggers | SqlBulkCopyOptions.KeepNulls;

    private readonly SqlServerRowConverter _converter;
    private readonly Channel<object?[]> _rows;
    private readonly CancellationTokenSource _abort = new();
    private readonly SqlServerBulkLoadTransaction _owner;
    private SqlBulkCopy? _bulkCopy;
    private Task _copy = Task.CompletedTask;
    private long _rowsWritten;
    private bool _completed;
    private bool _disposed;

    private SqlServerBulkTableWriter(TableDescription table, SqlServerBulkLoadTransaction owner)
    {
        Table = table;
        _owner = owner;
        _converter = new SqlServerRowConverter(table);
        _rows = Channel.CreateBounded<object?[]>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public TableDescription Table { get; }

    /// <summary>Completed, or disposed: the next table may be opened.</summary>
    public bool IsFinished => _completed || _disposed;

    public static SqlServerBulkTableWriter Start(SqlServerBulkTarget target, SqlServerBulkLoadTransaction owner)
    {
        var writer = new SqlServerBulkTableWriter(target.Table, owner);
        var bulkCopy = new SqlBulkCopy(target.Connection, CopyOptions, target.Transaction)
        {
            DestinationTableName = SqlServerStatements.QuoteIdentifier(target.Table.Name),
            BatchSize = 0,
            BulkCopyTimeout = 0,
            EnableStreaming = false,
        };

        for (var i = 0; i < target.Table.Columns.Count; i++)
        {
            bulkCopy.ColumnMappings.Add(i, target.Table.Columns[i].Name);
        }

        writer._bulkCopy = bulkCopy;
        writer._copy = writer.CopyAsync(bulkCopy, new SqlServerChannelDataReader(target.Table, writer._rows.Reader));
        return writer;
    }

    public ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        var row = _converter.Convert(values);
        if (_rows.Writer.TryWrite(row))
        {
            _rowsWritten++;
            return ValueTask.CompletedTask;
        }

        return WriteSlowAsync(row, cancellationToken);
    }

    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        _rows.Writer.TryComplete();
        await using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort).ConfigureAwait(false))
        {
            await AwaitCopyAsync().ConfigureAwait(false);
        }

        _completed = true;
        return _rowsWritten;
    }

    /// <summary>Without <see cref="CompleteAsync"/> first, stops the copy and undoes this table back to its savepoint.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_completed)
            {
                _rows.Writer.TryComplete(new OperationCanceledException($"The bulk load of table {Table.Name} was aborted."));
                await _abort.CancelAsync().ConfigureAwait(false);
                try
                {
                    await _copy.ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is SqlException or OperationCanceledException or InvalidOperationException)
                {
                    // Expected: this is the copy being stopped, or the failure that made the caller give up.
                }

                await _owner.RollbackTableAsync(Table).ConfigureAwait(false);
            }
        }
        finally
        {
            ((IDisposable?)_bulkCopy)?.Dispose();
            _abort.Dispose();
        }
    }

    private async ValueTask WriteSlowAsync(object?[] row, CancellationToken cancellationToken)
    {
        try
        {
            await _rows.Writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
            _rowsWritten++;
        }
        catch (ChannelClosedException)
        {
            // The copy stopped early and closed the channel: its failure is the one to report.
            await AwaitCopyAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The bulk copy into {Table.Name} stopped before its rows were complete.");
        }
    }

    private async Task CopyAsync(SqlBulkCopy bulkCopy, SqlServerChannelDataReader reader)
    {
        try
        {
            await bulkCopy.WriteToServerAsync(reader, _abort.Token).ConfigureAwait(false);
        }
        finally
        {
            // A copy that stopped early must not leave the producer waiting for room in a channel nobody reads.
            _rows.Writer.TryComplete();
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task AwaitCopyAsync()
    {
        try
        {
            await _copy.ConfigureAwait(false);
        }
        catch (SqlException exception)
        {
            throw SqlServerErrorTranslator.Translate(exception, $"bulk load of {Table.Name}");
        }
        catch (InvalidOperationException exception) when (exception.Source?.StartsWith("Microsoft.Data.SqlClient", StringComparison.Ordinal) == true)
        {
            // SqlBulkCopy's own refusals (a value too long or not convertible); their text may quote the value.
            throw new ProviderException(
                $"SqlBulkCopy refused a row of table {Table.Name}: a value is too long or cannot be converted for its column " +
                "(the driver's text is withheld because it may quote the value).",
                ProviderErrorKind.Other, isTransient: false, innerException: null);
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException($"The bulk load of table {Table.Name} has been completed; open the table again to write more.");
        }
    }
}
