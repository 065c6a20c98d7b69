using UnionSync.Sync.Errors;

namespace UnionSync.Sync.Engine;

/// <summary>
/// A session that reinitialises its child (<see cref="SyncOptions.Reinitialise"/>, docs/sync-engine.md §9), in place of
/// the usual upload and download. Nothing written at the child is lost: its changes go up first by the normal upload
/// (which does not depend on the parent's purged history), with other local writers held off where the provider needs
/// that; only then is its scope cleared locally (triggers standing aside, nothing recorded to travel) and loaded again
/// from the parent exactly as a first sync loads it, keeping the node's id and scope. The checkpoints then name the
/// loaded snapshot.
/// </summary>
/// <remarks>
/// Crash safety: before clearing, the child records <see cref="ReloadPending"/> as its checkpoint of the parent, which
/// is below every purge floor; an interrupted reinitialise is therefore refused by the next plain session and simply
/// run again. Clearing raises the child's own purge floor above every watermark it has handed out, so its own children
/// are told to reinitialise too: the history their checkpoints name is gone.
/// </remarks>
internal static class ChildReinitialiser
{
    /// <summary>The received checkpoint a child holds while its reload is under way.</summary>
    public const long ReloadPending = -1;

    public static async Task RunAsync(SessionContext context, CancellationToken cancellationToken)
    {
        if (context.InitialLoad)
        {
            // A first sync has just loaded the scope from a snapshot: there is nothing older to reload.
            await UploadPhase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            await DownloadPhase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.reinitialise");
        await using (var reinitialisation = await context.Child.Retention.BeginReinitialiseAsync(cancellationToken).ConfigureAwait(false))
        {
            await UploadPhase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            context.ChildRecord = context.ChildRecord with { ReceivedWatermark = ReloadPending };
            await context.Child.Metadata.SavePeerAsync(context.ChildRecord, cancellationToken).ConfigureAwait(false);
            if (!await reinitialisation.ClearAsync(context.ParentNode, context.ChildRecord.SentWatermark, cancellationToken).ConfigureAwait(false))
            {
                throw new UnionSyncException(
                    $"Rows were written at the child ({context.Child.Describe()}) while it was being reinitialised, after its upload; nothing was cleared, " +
                    "and the child stays marked for reinitialising. Run 'unionsync sync --parent DB --child DB --reinitialise' again, preferably with the child's writers stopped.");
            }
        }

        var loader = new InitialLoader(context.Parent, new ReloadTarget(context.Child), context.Schema, context.BatchSize, context.Progress);
        var loaded = await loader.LoadAsync(context.ParentNode, context.Scope, cancellationToken).ConfigureAwait(false);
        if (loaded.ChildNode != context.ChildNode)
        {
            throw new InvalidOperationException($"Reinitialising changed the child's node id from {context.ChildNode:D} to {loaded.ChildNode:D}; it must keep it.");
        }

        context.InitialLoad = true;
        context.RowsDown += loaded.Rows;
        await context.Parent.Metadata.AddFilledColumnsAsync(context.ChildNode, context.NewColumns, cancellationToken).ConfigureAwait(false);
        await SessionStore.SaveDownloadAsync(context, loaded.Watermark, cancellationToken).ConfigureAwait(false);
        Log.Reinitialised(context.Logger, context.ChildNode, context.SessionId, loaded.Rows, context.Scope, loaded.Watermark);
    }
}
