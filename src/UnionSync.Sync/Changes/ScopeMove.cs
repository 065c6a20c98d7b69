namespace UnionSync.Sync.Changes;

/// <summary>
/// A change of the column that places a row in scopes (an organisation's parent, a member's organisation, a card's
/// member's organisation), from the move log. <see cref="Version"/> is the writing node's watermark unit.
/// </summary>
public sealed record ScopeMove(string Table, Guid Key, Guid? FromOrganization, Guid? ToOrganization, long Version);
