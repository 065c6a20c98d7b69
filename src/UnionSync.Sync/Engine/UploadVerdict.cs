namespace UnionSync.Sync.Engine;

/// <summary>What the scope check says of one uploaded change.</summary>
internal enum UploadVerdict
{
    /// <summary>Inside the child's subtree, old and new position.</summary>
    InScope,

    /// <summary>The row was in the child's scope and moved out at the parent since the child's last download: a conflict with the move.</summary>
    MovedOut,

    /// <summary>The row's parent row (organisation, member) is deleted at the parent: a conflict with that delete.</summary>
    ParentDeleted,
}
