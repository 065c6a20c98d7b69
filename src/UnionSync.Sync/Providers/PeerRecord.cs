namespace UnionSync.Sync.Providers;

/// <summary>A peer as a node records it: its role seen from this node, its scope, and the two checkpoints of the edge.</summary>
/// <param name="SentWatermark">This node's watermark of the changes already sent to the peer.</param>
/// <param name="ReceivedWatermark">The peer's watermark of the changes already received from it.</param>
public sealed record PeerRecord(Guid PeerId, PeerRole Role, Guid ScopeOrganization, long SentWatermark, long ReceivedWatermark, int ProtocolVersion);
