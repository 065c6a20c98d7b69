using System.Threading.Channels;
using UnionSync.Providers.SqlServer.Bulk;
using UnionSync.Sync.Schema;

namespace UnionSync.Providers.Tests.SqlServer;

/// <summary>The channel-backed reader that SqlBulkCopy pulls rows from.</summary>
public sealed class SqlServerChannelDataReaderTests
{
    private static readonly SqlServerRowConverter s_converter = new(SyncTables.Members);

    [Fact]
    public async Task Rows_written_to_the_channel_are_read_in_order_with_their_values_and_nulls()
    {
        var channel = Channel.CreateBounded<object?[]>(4);
        await using var reader = new SqlServerChannelDataReader(SyncTables.Members, channel.Reader);
        var first = s_converter.Convert(SqlServerRowConverterTests.Row());
        var second = s_converter.Convert(SqlServerRowConverterTests.Row(idNumber: "110105194912310037"));
        await channel.Writer.WriteAsync(first, TestContext.Current.CancellationToken);
        await channel.Writer.WriteAsync(second, TestContext.Current.CancellationToken);
        channel.Writer.Complete();

        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first[0], reader.GetGuid(0));
        Assert.Equal("11010519491231002X", reader.GetString(reader.GetOrdinal("id_number")));
        Assert.True(reader.IsDBNull(5));
        Assert.Same(DBNull.Value, reader.GetValue(5));
        Assert.Equal(typeof(DateTime), reader.GetFieldType(6));
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("110105194912310037", reader.GetString(3));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, reader.RowsRead);
        Assert.Equal(SyncTables.Members.Columns.Count, reader.FieldCount);
    }

    [Fact]
    public async Task Read_waits_for_the_producer_instead_of_ending_early()
    {
        var channel = Channel.CreateBounded<object?[]>(1);
        await using var reader = new SqlServerChannelDataReader(SyncTables.Members, channel.Reader);

        var read = reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);
        await channel.Writer.WriteAsync(s_converter.Convert(SqlServerRowConverterTests.Row()), TestContext.Current.CancellationToken);

        Assert.True(await read);
    }

    [Fact]
    public async Task An_aborted_producer_fails_the_read()
    {
        var channel = Channel.CreateBounded<object?[]>(1);
        await using var reader = new SqlServerChannelDataReader(SyncTables.Members, channel.Reader);
        channel.Writer.Complete(new OperationCanceledException("aborted"));

        await Assert.ThrowsAsync<OperationCanceledException>(() => reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Synchronous_read_is_not_supported()
    {
        var channel = Channel.CreateBounded<object?[]>(1);
        await using var reader = new SqlServerChannelDataReader(SyncTables.Members, channel.Reader);

        Assert.Throws<NotSupportedException>(() => reader.Read());
    }
}
