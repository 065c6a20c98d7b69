using System.Runtime.CompilerServices;
using UnionSync.Sync.Changes;
using UnionSync.Sync.Policies;
using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The child's changes since its sent checkpoint that did not come from the parent, read from one snapshot, batched
/// and applied at the parent; the checkpoint moves to the snapshot's watermark after the last batch.
/// </summary>
internal static class UploadPhase
{
    public static async Task RunAsync(SessionContext context, CancellationToken cancellationToken)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.upload");
        var applier = new UploadBatchApplier(context);
        long watermark;
        await using (var snapshot = await context.Child.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            watermark = snapshot.Watermark;
            context.UploadWatermark = watermark;
            var number = 0;

            // Batch N+1 is read from the child's snapshot while batch N is applied at the parent: only the reading side
            // uses the snapshot until the loop is left (see BatchesAsync).
            await foreach (var batch in BatchesAsync(snapshot, context, cancellationToken).ReadAheadAsync(cancellationToken).ConfigureAwait(false))
            {
                context.RowsUp += await applier.ApplyAsync(batch, ++number, cancellationToken).ConfigureAwait(false);
                context.Progress?.Report(new SyncProgress(SyncPhase.Upload, batch[^1].Table.Name, context.RowsUp));
            }
        }

        await SessionStore.SaveUploadAsync(context, watermark, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The batches as they go up, base rows included: everything that reads the snapshot, read ahead of the applier on
    /// another thread. It reads the session's checkpoint, schema, node ids and policies, which nothing writes during the
    /// upload, and writes only <see cref="SessionContext.Uploaded"/> and <see cref="SessionContext.UploadedMergedKeys"/>,
    /// which nothing else touches before the upload has finished (the download and <see cref="BaseRowRelease"/> read them
    /// after it); the applier's writes (re-sends, merged members, counters, the parent) are not read here.
    /// </summary>
    private static async IAsyncEnumerable<IReadOnlyList<RowChange>> BatchesAsync(
        IChangeSnapshot snapshot, SessionContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var planner = new BatchPlanner(context.BatchSize);
        var changes = ChangeEnumerator.ChangesAsync(snapshot, context.UploadSchema, context.ChildRecord.SentWatermark, scope: null, excludedPeer: context.ParentNode, cancellationToken);
        await foreach (var planned in planner.PlanAsync(changes, cancellationToken).ConfigureAwait(false))
        {
            foreach (var change in planned)
            {
                context.Uploaded[(change.Table.Name, change.Key)] = change.Origin;
            }

            yield return await WithBaseRowsAsync(snapshot, context, planned, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The upserts of tables the parent merges by columns carry their base rows (docs/sync-engine.md §11), read from the
    /// same snapshot; other batches go as they are.
    /// </summary>
    private static async Task<IReadOnlyList<RowChange>> WithBaseRowsAsync(
        IChangeSnapshot snapshot, SessionContext context, IReadOnlyList<RowChange> batch, CancellationToken cancellationToken)
    {
        var merged = batch.Where(c => c.Kind == ChangeKind.Upsert && context.Policies.For(c.Table.Name).Policy.MergesColumns()).ToList();
        if (merged.Count == 0)
        {
            return batch;
        }

        var bases = new Dictionary<(string, Guid), object?[]>();
        foreach (var group in merged.GroupBy(c => c.Table.Name, StringComparer.Ordinal))
        {
            var table = group.First().Table;
            if (!context.UploadedMergedKeys.TryGetValue(table.Name, out var uploaded))
            {
                context.UploadedMergedKeys[table.Name] = uploaded = [];
            }

            uploaded.UnionWith(group.Select(c => c.Key));
            var rows = await snapshot.ReadBaseRowsAsync(table, [.. group.Select(c => c.Key)], cancellationToken).ConfigureAwait(false);
            foreach (var (key, values) in rows)
            {
                var padded = new object?[table.Columns.Count];
                Array.Copy(values, padded, Math.Min(values.Length, padded.Length));
                bases[(table.Name, key)] = padded;
            }
        }

        return [.. batch.Select(c => bases.TryGetValue((c.Table.Name, c.Key), out var values) ? c with { BaseValues = values } : c)];
    }
}
