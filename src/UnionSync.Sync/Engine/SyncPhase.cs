namespace UnionSync.Sync.Engine;

public enum SyncPhase
{
    InitialLoad,
    Upload,
    Download,
    Done,
}
