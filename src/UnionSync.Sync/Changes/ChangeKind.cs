namespace UnionSync.Sync.Changes;

public enum ChangeKind
{
    /// <summary>The row exists with these values (an insert or an update).</summary>
    Upsert,

    /// <summary>The row was deleted: a tombstone that travels.</summary>
    Delete,

    /// <summary>The row left the receiver's scope: removed there locally (with its dependents), not deleted anywhere else.</summary>
    Remove,
}
