using Microsoft.Extensions.Logging;

namespace UnionSync.Sync.Engine;

/// <summary>Retention's log messages (event ids 4090–4099 of the engine's range).</summary>
internal static partial class Log
{
    [LoggerMessage(4090, LogLevel.Information, "Purged {Database}: {Tombstones} tombstones, {Moves} scope moves, {Batches} batch records; purge floor {PreviousFloor} -> {Floor}; {ChildrenAway} children away longer than the window")]
    public static partial void Purged(ILogger logger, string database, long tombstones, long moves, long batches, long previousFloor, long floor, int childrenAway);

    [LoggerMessage(4091, LogLevel.Warning, "Child {ChildNode} has checkpoint {Checkpoint} below the purge floor {Floor}: refused, it must reinitialise")]
    public static partial void ReinitialiseRequired(ILogger logger, Guid childNode, long checkpoint, long floor);

    [LoggerMessage(4092, LogLevel.Information, "Child {ChildNode} reinitialised in session {SessionId}: its changes uploaded first, then {RowCount} rows of scope {Scope} reloaded at parent watermark {Watermark}")]
    public static partial void Reinitialised(ILogger logger, Guid childNode, Guid sessionId, long rowCount, Guid scope, long watermark);
}
