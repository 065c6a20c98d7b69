using System.Globalization;

namespace UnionSync.Sync.Errors;

/// <summary>
/// A child came back after its parent purged history it had not received (DESIGN §4.6): its checkpoint is below the
/// parent's purge floor, so an incremental download could miss deletes and scope moves. The session is refused before
/// anything is exchanged; the child must be reinitialised (<c>unionsync sync … --reinitialise</c>), which uploads its
/// unsent changes first and then reloads its scope. Hosts exit 1 on it.
/// </summary>
public sealed class ReinitialiseRequiredException : UnionSyncException
{
    public ReinitialiseRequiredException()
    {
    }

    public ReinitialiseRequiredException(string message)
        : base(message)
    {
    }

    public ReinitialiseRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ReinitialiseRequiredException(Guid childNode, long checkpoint, long purgeFloor)
        : base(Describe(childNode, checkpoint, purgeFloor))
    {
        ChildNode = childNode;
        Checkpoint = checkpoint;
        PurgeFloor = purgeFloor;
    }

    /// <summary>The child that must reinitialise.</summary>
    public Guid ChildNode { get; }

    /// <summary>The child's checkpoint of the parent (its received watermark); negative when an earlier reinitialise did not finish.</summary>
    public long Checkpoint { get; }

    /// <summary>The lowest checkpoint the parent can still serve.</summary>
    public long PurgeFloor { get; }

    private static string Describe(Guid childNode, long checkpoint, long purgeFloor)
    {
        const string Fix = "Run 'unionsync sync --parent DB --child DB --reinitialise': it uploads the child's unsent changes first, then reloads its scope.";
        return checkpoint < 0
            ? string.Create(CultureInfo.InvariantCulture, $"Child node {childNode:D} must be reinitialised: an earlier reinitialise of it did not finish (its checkpoint is {checkpoint}, the parent's purge floor {purgeFloor}). {Fix}")
            : string.Create(CultureInfo.InvariantCulture, $"Child node {childNode:D} must be reinitialised: its checkpoint of the parent is watermark {checkpoint}, but the parent has purged deletes and scope moves below watermark {purgeFloor} (the child was away longer than the retention window). {Fix}");
    }
}
