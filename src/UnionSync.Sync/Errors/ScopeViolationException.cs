namespace UnionSync.Sync.Errors;

/// <summary>
/// A child sent a row outside its scope (DESIGN §4.9): the whole batch was refused and nothing of it applied. The message
/// names the table, the key and the scope; never a row value.
/// </summary>
public sealed class ScopeViolationException : UnionSyncException
{
    public ScopeViolationException()
    {
    }

    public ScopeViolationException(string message)
        : base(message)
    {
    }

    public ScopeViolationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ScopeViolationException(string table, Guid key, Guid scope, string reason)
        : base($"The child may not write {table} row {key:D}: {reason}; its scope is organisation {scope:D}. Nothing of the batch was applied.")
    {
        Table = table;
        Key = key;
        Scope = scope;
    }

    public string? Table { get; }

    public Guid Key { get; }

    public Guid Scope { get; }
}
