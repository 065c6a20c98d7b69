namespace UnionSync.Sync.Changes;

public enum SyncDirection
{
    Upload,
    Download,
}
