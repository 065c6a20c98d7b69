using UnionSync.Sync.Changes;

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
        var planner = new BatchPlanner(context.BatchSize);
        long watermark;
        await using (var snapshot = await context.Child.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            watermark = snapshot.Watermark;
            context.UploadWatermark = watermark;
            var changes = ChangeEnumerator.ChangesAsync(snapshot, context.UploadSchema, context.ChildRecord.SentWatermark, scope: null, excludedPeer: context.ParentNode, cancellationToken);
            var number = 0;
            await foreach (var batch in planner.PlanAsync(changes, cancellationToken).ConfigureAwait(false))
            {
                context.RowsUp += await applier.ApplyAsync(batch, ++number, cancellationToken).ConfigureAwait(false);
                context.Progress?.Report(new SyncProgress(SyncPhase.Upload, batch[^1].Table.Name, context.RowsUp));
            }
        }

        await SessionStore.SaveUploadAsync(context, watermark, cancellationToken).ConfigureAwait(false);
    }
}
