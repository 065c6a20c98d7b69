namespace UnionSync.Sync.Providers;

/// <summary>
/// The version of the sync metadata schema (the <c>unionsync_</c> tables and triggers) that this UnionSync writes, kept
/// in <c>unionsync_node.schema_version</c>. 1: issue 4's tracking. 2: hybrid-logical-clock versions, the node's clock
/// offset and HLC floor, the conflict policy table. 3: the added columns backfilled at each child
/// (<c>unionsync_peer_columns</c>). 4: base rows (<c>unionsync_base_*</c>, captured by the update triggers), the policies'
/// fallbacks and column owners. 5: SQLite's triggers append local writes to a change log (<c>unionsync_changes</c>)
/// folded into the tracking rows at sync time, and capture base rows with triggers that exist only while a table is captured.
/// 6: PostgreSQL's triggers append local writes to a change log (<c>unionsync_changes</c>) folded into the tracking rows
/// before a snapshot or an apply reads them. 7: SQLite's append triggers read nothing but their row: the log keeps the
/// wall clock without the clock offset (added at the fold), and the engine deletes what its own writes appended instead
/// of the triggers probing the guard.
/// </summary>
public static class SyncMetadataVersion
{
    public const int Current = 7;
}
