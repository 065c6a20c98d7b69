namespace UnionSync.Sync.Engine;

/// <summary>An operator's decision of a queued conflict: which version the row keeps.</summary>
public enum ConflictChoice
{
    Parent,
    Child,
}
