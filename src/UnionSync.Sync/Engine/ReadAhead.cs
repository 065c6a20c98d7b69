using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace UnionSync.Sync.Engine;

/// <summary>
/// Reads a sequence one item ahead of its consumer: while the consumer works on item N, a producer task reads item N+1,
/// and reads N+2 only once the consumer has taken N+1. At most two items are held (the consumer's and the one read
/// ahead), whatever the length of the sequence; the order is the source's.
/// </summary>
/// <remarks>
/// The source is enumerated by the producer alone, one call after the other, so what it reads from (a snapshot's
/// connection) never serves two operations at once, provided the consumer does not use it too. An exception of the
/// source surfaces from the consumer's loop as it was thrown, after the items read before it. When the consumer stops
/// (an exception, a break, its token cancelled), the producer is cancelled and awaited before the loop is left, so the
/// source is disposed before anything it reads from is.
/// </remarks>
internal static class ReadAhead
{
    public static async IAsyncEnumerable<T> ReadAheadAsync<T>(this IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Task.Run: the producer never runs inline on the consumer's thread, also where the source completes synchronously.
        var producer = Task.Run(() => ProduceAsync(source, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }

            // The producer has completed the channel: awaiting it rethrows the source's exception, if any, unwrapped.
            await producer.ConfigureAwait(false);
        }
        finally
        {
            if (!producer.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            // The consumer's exception (or its early stop) is the one that counts: what the producer throws once cancelled
            // is awaited and observed, never rethrown over it.
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ = producer.Exception;
        }
    }

    private static async Task ProduceAsync<T>(IAsyncEnumerable<T> source, ChannelWriter<T> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);

                // The next item is read only once the consumer has taken this one: one ahead, never two.
                if (!await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }
}
