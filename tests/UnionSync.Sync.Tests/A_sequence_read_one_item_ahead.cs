using System.Diagnostics;
using System.Runtime.CompilerServices;
using UnionSync.Sync.Engine;

namespace UnionSync.Sync.Tests;

/// <summary><see cref="ReadAhead"/>: how the phases read batch N+1 while batch N is applied.</summary>
public sealed class A_sequence_read_one_item_ahead
{
    /// <summary>Longer than a blocked read waits for its cancellation: a reader left running fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50)]
    public async Task keeps_the_sources_order_and_disposes_it(int count)
    {
        var source = new Source(count);
        var seen = new List<int>();

        await foreach (var item in source.ReadAsync(CancellationToken.None).ReadAheadAsync(TestContext.Current.CancellationToken))
        {
            seen.Add(item);
        }

        Assert.Equal(Enumerable.Range(1, count), seen);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task reads_the_next_item_while_the_consumer_holds_one_and_no_further()
    {
        const int Count = 6;
        var source = new Source(Count);

        await foreach (var item in source.ReadAsync(CancellationToken.None).ReadAheadAsync(TestContext.Current.CancellationToken))
        {
            var next = Math.Min(item + 1, Count);
            await WaitUntilAsync(() => source.Reading >= next);

            // Time for the reader to run further, if it would.
            await Task.Delay(100, TestContext.Current.CancellationToken);
            Assert.Equal(next, source.Reading);
        }
    }

    [Fact]
    public async Task surfaces_the_sources_exception_as_thrown_after_the_items_before_it()
    {
        var source = new Source(10, failAt: 3);
        var seen = new List<int>();

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var item in source.ReadAsync(CancellationToken.None).ReadAheadAsync(TestContext.Current.CancellationToken))
            {
                seen.Add(item);
            }
        });

        Assert.Equal([1, 2], seen);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task cancels_and_awaits_the_reader_when_the_consumer_throws()
    {
        var source = new Source(10, blockAt: 3);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in source.ReadAsync(CancellationToken.None).ReadAheadAsync(TestContext.Current.CancellationToken))
            {
                if (item == 2)
                {
                    await WaitUntilAsync(() => source.Reading == 3);
                    throw new InvalidOperationException("injected: the apply failed");
                }
            }
        }).WaitAsync(Limit, TestContext.Current.CancellationToken);

        Assert.True(source.Cancelled);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task cancels_and_awaits_the_reader_when_the_token_is_cancelled()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var source = new Source(10, blockAt: 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in source.ReadAsync(CancellationToken.None).ReadAheadAsync(cancellation.Token))
            {
                if (item == 2)
                {
                    await WaitUntilAsync(() => source.Reading == 3);
                    await cancellation.CancelAsync();
                }
            }
        }).WaitAsync(Limit, TestContext.Current.CancellationToken);

        Assert.True(source.Cancelled);
        Assert.True(source.Disposed);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The reader did not get there within 10 s.");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Items 1…count, noting how far it has read, whether it saw its token cancelled, and when it is disposed.</summary>
    private sealed class Source(int count, int? failAt = null, int? blockAt = null)
    {
        private int _reading;
        private int _cancelled;
        private int _disposed;

        /// <summary>The item being read or last read.</summary>
        public int Reading => Volatile.Read(ref _reading);

        public bool Cancelled => Volatile.Read(ref _cancelled) == 1;

        public bool Disposed => Volatile.Read(ref _disposed) == 1;

        public async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                for (var i = 1; i <= count; i++)
                {
                    Volatile.Write(ref _reading, i);
                    await Task.Yield();
                    if (i == failAt)
                    {
                        throw new IOException("injected: the connection dropped");
                    }

                    if (i == blockAt)
                    {
                        await BlockAsync(cancellationToken);
                    }

                    yield return i;
                }
            }
            finally
            {
                // Cleanup that takes a while, as closing a data reader does: a consumer that left without awaiting it sees it unfinished.
                await Task.Delay(50, CancellationToken.None);
                Volatile.Write(ref _disposed, 1);
            }
        }

        private async Task BlockAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Volatile.Write(ref _cancelled, 1);
                throw;
            }
        }
    }
}
