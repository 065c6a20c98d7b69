namespace UnionSync.Sync.Engine;

/// <summary>
/// The parent's side for the child, read from one snapshot of the parent (changes, scope moves, re-sends), batched and
/// applied at the child; the child's received checkpoint moves to the snapshot's watermark after the last batch.
/// </summary>
internal static class DownloadPhase
{
    public static async Task RunAsync(SessionContext context, CancellationToken cancellationToken)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.download");
        var applier = new DownloadBatchApplier(context);
        var planner = new BatchPlanner(context.BatchSize);
        long watermark;
        await using (var snapshot = await context.Parent.Changes.OpenSnapshotAsync(cancellationToken).ConfigureAwait(false))
        {
            watermark = snapshot.Watermark;
            var scope = new ScopeOrganizations(snapshot, context.Scope);
            var moves = await ScopeMoves.ReadAsync(snapshot, scope, context.ChildRecord.ReceivedWatermark, cancellationToken).ConfigureAwait(false);
            var stream = new DownloadStream(context, snapshot, moves, scope);
            var batches = planner.PlanAsync(stream.ReadAsync(cancellationToken), cancellationToken);
            var number = 0;

            // Batch N+1 is read from the parent's snapshot while batch N is applied at the child: only the stream uses the
            // snapshot until the loop is left, and it reads nothing the applier writes (see DownloadStream).
            await foreach (var batch in batches.ReadAheadAsync(cancellationToken).ConfigureAwait(false))
            {
                context.RowsDown += await applier.ApplyAsync(batch, ++number, cancellationToken).ConfigureAwait(false);
                context.Progress?.Report(new SyncProgress(SyncPhase.Download, batch[^1].Table.Name, context.RowsDown));
            }
        }

        await SessionStore.SaveDownloadAsync(context, watermark, cancellationToken).ConfigureAwait(false);
    }
}
