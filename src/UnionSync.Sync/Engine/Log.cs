using Microsoft.Extensions.Logging;

namespace UnionSync.Sync.Engine;

/// <summary>The engine's log messages. Event ids 4000–4099. Keys only, never row values; ID numbers never appear.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Sync session {SessionId} opened: child {ChildNode}, parent {ParentNode}, scope {Scope}")]
    public static partial void SessionOpened(ILogger logger, Guid sessionId, Guid childNode, Guid parentNode, Guid scope);

    [LoggerMessage(4001, LogLevel.Information, "Initial load of scope {Scope} into child {ChildNode}: {RowCount} rows at parent watermark {Watermark}")]
    public static partial void InitialLoadDone(ILogger logger, Guid scope, Guid childNode, long rowCount, long watermark);

    [LoggerMessage(4002, LogLevel.Information, "Sync session {SessionId} done: {RowsUp} rows up, {RowsDown} rows down, {Conflicts} conflicts, {Removals} removals")]
    public static partial void SessionDone(ILogger logger, Guid sessionId, long rowsUp, long rowsDown, long conflicts, long removals);

    [LoggerMessage(4003, LogLevel.Warning, "Conflict on {Table} row {Key} ({Kind}) between parent {ParentNode} and child {ChildNode}: {Outcome}")]
    public static partial void ConflictResolved(ILogger logger, string table, Guid key, string kind, Guid parentNode, Guid childNode, string outcome);

    [LoggerMessage(4004, LogLevel.Debug, "Batch {Direction} {BatchNumber} of session {SessionId}: {RowCount} changes, {Applied} applied")]
    public static partial void BatchApplied(ILogger logger, string direction, int batchNumber, Guid sessionId, int rowCount, int applied);

    [LoggerMessage(4005, LogLevel.Debug, "Batch {Direction} {BatchNumber} of session {SessionId} was already applied; skipped")]
    public static partial void BatchSkipped(ILogger logger, string direction, int batchNumber, Guid sessionId);

    [LoggerMessage(4006, LogLevel.Information, "Verified scope {Scope}: {RowCount} rows compared, {DifferenceCount} differences")]
    public static partial void Verified(ILogger logger, Guid scope, long rowCount, long differenceCount);

    [LoggerMessage(4007, LogLevel.Information, "Child {ChildNode} backfilled with the added columns {Columns}: {RowCount} rows held values")]
    public static partial void ColumnsBackfilled(ILogger logger, Guid childNode, string columns, long rowCount);
}
