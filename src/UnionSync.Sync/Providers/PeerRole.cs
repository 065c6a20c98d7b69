namespace UnionSync.Sync.Providers;

public enum PeerRole
{
    Parent,
    Child,
}
