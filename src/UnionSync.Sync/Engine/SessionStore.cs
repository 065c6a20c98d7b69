using UnionSync.Sync.Providers;

namespace UnionSync.Sync.Engine;

/// <summary>
/// The checkpoints of the edge, moved only after a phase's last batch: the child's record of its parent is
/// authoritative; the parent's record of the child mirrors it.
/// </summary>
internal static class SessionStore
{
    public const int ProtocolVersion = SyncProtocol.Version;

    /// <summary>After the upload: the child has sent everything up to <paramref name="uploadWatermark"/> (its own watermark).</summary>
    public static async Task SaveUploadAsync(SessionContext context, long uploadWatermark, CancellationToken cancellationToken)
    {
        context.ChildRecord = context.ChildRecord with { SentWatermark = uploadWatermark };
        await context.Child.Metadata.SavePeerAsync(context.ChildRecord, cancellationToken).ConfigureAwait(false);
        context.ParentRecord = context.ParentRecord with { ReceivedWatermark = uploadWatermark };
        await context.Parent.Metadata.SavePeerAsync(context.ParentRecord, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the download: the child has received everything up to <paramref name="downloadWatermark"/> (the parent's watermark).</summary>
    public static async Task SaveDownloadAsync(SessionContext context, long downloadWatermark, CancellationToken cancellationToken)
    {
        context.ChildRecord = context.ChildRecord with { ReceivedWatermark = downloadWatermark };
        await context.Child.Metadata.SavePeerAsync(context.ChildRecord, cancellationToken).ConfigureAwait(false);
        context.ParentRecord = context.ParentRecord with { SentWatermark = downloadWatermark };
        await context.Parent.Metadata.SavePeerAsync(context.ParentRecord, cancellationToken).ConfigureAwait(false);
    }

    public static PeerRecord ParentAtChild(Guid parentNode, Guid scope, long sent, long received) =>
        new(parentNode, PeerRole.Parent, scope, sent, received, ProtocolVersion);

    public static PeerRecord ChildAtParent(Guid childNode, Guid scope, long sent, long received) =>
        new(childNode, PeerRole.Child, scope, sent, received, ProtocolVersion);
}
